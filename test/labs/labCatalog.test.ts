import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../src/engine/config/parseLabConfig';
import { planGrading } from '../../src/engine/grading/planGrading';
import { PROBLEM_IDS, PROBLEMS } from '../../src/engine/grading/problems';
import { sweepRunCount } from '../../src/engine/sweep/expandSweep';
import { LABS, planCopy, REFERENCE_FILE, starterFiles, type LabFolders } from '../../src/labs/labCatalog';

const LABS_ROOT = join(__dirname, '../../labs');
const LABS_DIR: LabFolders = {
  fileNames: async (id) => readdirSync(join(LABS_ROOT, id)),
  readText: async (id, name) => readFileSync(join(LABS_ROOT, id, name), 'utf8'),
};

describe('the shipped labs', () => {
  it.each(LABS.map((lab) => [lab.id, lab] as const))('%s: starter files with both READMEs, never the reference solution', async (_, lab) => {
    const names = (await starterFiles(LABS_DIR, lab.id)).map((f) => f.name);
    expect(names).toContain(lab.mainFile);
    expect(names).toContain('README.md');
    expect(names).toContain('README.zh-tw.md');
    expect(names).not.toContain(REFERENCE_FILE);
  });

  it.each(LABS.map((lab) => [lab.id, lab] as const))('%s: every config in it is valid', async (_, lab) => {
    for (const file of (await starterFiles(LABS_DIR, lab.id)).filter((f) => f.name.endsWith('.dnn.json'))) {
      expect(parseLabConfig(file.text).errors, file.name).toEqual([]);
    }
  });

  it.each(LABS.filter((lab) => lab.kind === 'corelab').map((lab) => [lab.id, lab] as const))(
    '%s: the starter names its problem and is the smaller DNN the student must change to 5 layers',
    async (id, lab) => {
      const starter = (await starterFiles(LABS_DIR, id)).find((f) => f.name === lab.mainFile)!;
      const plan = planGrading(starter.text);
      expect(plan.kind).toBe('unmet');
      expect(plan.problem?.id).toBe(id);
      expect(plan.kind === 'unmet' && plan.errors.map((e) => e.path)).toContain('layers');
    },
  );

  it.each([
    ['lab02', 5],
    ['lab03', 12],
  ])('%s compares %d runs through its sweep', async (id, runs) => {
    const [config] = (await starterFiles(LABS_DIR, id)).filter((f) => f.name === `${id}.dnn.json`);
    expect(sweepRunCount(parseLabConfig(config.text).config!)).toBe(runs);
  });

  it.each(PROBLEM_IDS)('the READMEs of %s state the threshold the grader uses; the instructors\' note has the measured spread', async (id) => {
    const threshold = `${(100 * PROBLEMS[id].minTrainAccuracy).toFixed(2)}%`;
    for (const readme of (await starterFiles(LABS_DIR, id)).filter((f) => f.name.startsWith('README'))) {
      expect(readme.text, `${id}/${readme.name}`).toMatch(new RegExp(`\\*\\*(Threshold|門檻)[:：]\\s?${threshold.replace('.', '\\.')}\\*\\*`));
      expect(readme.text, `${id}/${readme.name}: seed tables are instructor material`).not.toMatch(/\| 1 \| \d+\.\d+% \|/);
    }
    const note = readFileSync(join(LABS_ROOT, 'INSTRUCTORS.md'), 'utf8');
    const section = note.slice(note.indexOf(`## Corelab ${id.slice(-1)}:`));
    expect(section, `INSTRUCTORS.md, ${id}`).toMatch(/\| 1 \| \d+\.\d+% \|/);
    expect(section, `INSTRUCTORS.md, ${id}`).toContain(`**Threshold: ${threshold}**`);
  });
});

describe('planCopy', () => {
  const files = [
    { name: 'a.dnn.json', text: 'starter a' },
    { name: 'b.dnn.json', text: 'starter b' },
    { name: 'README.md', text: 'readme' },
  ];

  it('creates missing files, skips identical ones, and holds back the ones the student edited', () => {
    const workspace = new Map([
      ['a.dnn.json', 'starter a'],
      ['b.dnn.json', 'my edits'],
    ]);
    const plan = planCopy(files, (name) => workspace.get(name));
    expect(plan.create.map((f) => f.name)).toEqual(['README.md']);
    expect(plan.unchanged).toEqual(['a.dnn.json']);
    expect(plan.edited.map((f) => f.name)).toEqual(['b.dnn.json']);
  });
});
