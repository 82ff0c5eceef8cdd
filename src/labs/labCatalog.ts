
/** A lab or Corelab problem shipped in the extension's `labs/<id>/` folder. */
export interface LabEntry {
  id: string;
  kind: 'lab' | 'corelab';
  /** The starter config the student edits and runs, opened first. */
  mainFile: string;
}

/** The chapter's labs, in the order the chapter gives them. */
export const LABS: readonly LabEntry[] = [
  { id: 'lab01', kind: 'lab', mainFile: 'lab01.dnn.json' },
  { id: 'lab02', kind: 'lab', mainFile: 'lab02.dnn.json' },
  { id: 'lab03', kind: 'lab', mainFile: 'lab03.dnn.json' },
  { id: 'corelab-1', kind: 'corelab', mainFile: 'corelab-1.dnn.json' },
  { id: 'corelab-2', kind: 'corelab', mainFile: 'corelab-2.dnn.json' },
  { id: 'corelab-3', kind: 'corelab', mainFile: 'corelab-3.dnn.json' },
];

/** The instructor's solution: shipped for `dnn-lab grade` and the benchmark, never copied to a student. */
export const REFERENCE_FILE = 'reference.dnn.json';

/** A file to copy into the student's lab folder. */
export interface StarterFile {
  name: string;
  text: string;
}

/** The files of `labs/<id>` a student starts from: every file but the reference solution. */
export async function starterFiles(labs: LabFolders, id: string): Promise<StarterFile[]> {
  const names = (await labs.fileNames(id)).filter((name) => name !== REFERENCE_FILE).sort();
  return Promise.all(names.map(async (name) => ({ name, text: await labs.readText(id, name) })));
}

/** The extension's `labs/` folder, read through node:fs in tests and `vscode.workspace.fs` in the extension (any host). */
export interface LabFolders {
  /** The names of the files in `labs/<id>`. */
  fileNames(id: string): Promise<string[]>;
  /** The text of `labs/<id>/<name>`. */
  readText(id: string, name: string): Promise<string>;
}

/** What copying the starter files would do: write new ones, skip identical ones, and the ones the student changed. */
export interface CopyPlan {
  create: StarterFile[];
  unchanged: string[];
  /** Files that exist with other content: the student's edits, replaced only when they agree. */
  edited: StarterFile[];
}

/** Sorts the starter files by what is at their place in the workspace (`existing` gives a file's text, undefined when absent). */
export function planCopy(files: readonly StarterFile[], existing: (name: string) => string | undefined): CopyPlan {
  const plan: CopyPlan = { create: [], unchanged: [], edited: [] };
  for (const file of files) {
    const current = existing(file.name);
    if (current === undefined) plan.create.push(file);
    else if (current === file.text) plan.unchanged.push(file.name);
    else plan.edited.push(file);
  }
  return plan;
}
