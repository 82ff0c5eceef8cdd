import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** One term of lessons/glossary.json. */
interface Term {
  en: string;
  zh: string;
  source?: string;
  note?: string;
  rejectZh?: string[];
  rejectEn?: string[];
  englishInZh?: string[];
}

const ROOT = join(__dirname, '../..');
const glossary = JSON.parse(readFileSync(join(ROOT, 'lessons/glossary.json'), 'utf8')) as { terms: Term[] };

type Language = 'en' | 'zh';
/** A piece of prose in one language, with where it came from. */
interface Text {
  file: string;
  language: Language;
  text: string;
}

const CJK = '\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uff00-\\uffef';
const hasCjk = (s: string) => new RegExp(`[${CJK}]`).test(s);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Markdown with its code, math, URLs, link targets, comments and widget names replaced by a neutral placeholder. */
function proseOf(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, 'M')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/^:::[ \t]*\S+([ \t]+[a-z0-9-]+)?/gm, 'M') // a lesson's widget line: only its label is prose
    .replace(/\$\$[\s\S]*?\$\$/g, 'M')
    .replace(/\$[^$\n]+\$/g, 'M')
    .replace(/`[^`\n]*`/g, 'M')
    .replace(/\]\([^)\s]*\)/g, ']')
    .replace(/(command:|https?:\/\/)\S+/g, 'M')
    .replace(/\{\d+\}/g, 'M')
    .replace(/(?<![\w.])[A-Za-z_*][\w*]*(\.[A-Za-z_]\w*)+/g, 'M'); // a setting or file name: optimizer.learningRate, *.dnn.json
}

/** The string literals of a TypeScript module, template expressions dropped. */
function literalsOf(source: string): string[] {
  return [...source.matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g)].map((m) => (m[1] ?? m[2]).replace(/\$\{[^}]*\}/g, 'M'));
}

const files = (dir: string, test: (name: string) => boolean) =>
  existsSync(join(ROOT, dir)) ? readdirSync(join(ROOT, dir)).filter(test).map((name) => `${dir}/${name}`) : [];
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Every student-facing text the glossary governs, split by language. */
function corpus(): Text[] {
  const texts: Text[] = [];
  const markdown = [
    ...files('lessons', (n) => n.endsWith('.md')),
    ...files('labs', (n) => /^INSTRUCTORS.*\.md$/.test(n)),
    ...readdirSync(join(ROOT, 'labs'), { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) => files(`labs/${d.name}`, (n) => /^README.*\.md$/.test(n))),
  ];
  for (const file of markdown) {
    for (const line of proseOf(read(file)).split('\n')) texts.push({ file, language: /zh-tw\.md$/.test(file) ? 'zh' : 'en', text: line });
  }
  // The walkthrough pages are bilingual: each line holds English and Chinese parts joined by " · " or " / ".
  for (const file of files('media/walkthrough', (n) => n.endsWith('.md'))) {
    for (const part of proseOf(read(file)).split(/\n| · | \/ /)) texts.push({ file, language: hasCjk(part) ? 'zh' : 'en', text: part });
  }
  const bundle = JSON.parse(read('l10n/bundle.l10n.zh-tw.json')) as Record<string, string>;
  for (const [key, value] of Object.entries(bundle)) {
    texts.push({ file: 'l10n/bundle.l10n.zh-tw.json', language: 'en', text: proseOf(key) }, { file: 'l10n/bundle.l10n.zh-tw.json', language: 'zh', text: proseOf(value) });
  }
  for (const [file, language] of [['package.nls.json', 'en'], ['package.nls.zh-tw.json', 'zh']] as const) {
    for (const value of Object.values(JSON.parse(read(file)) as Record<string, string>)) texts.push({ file, language, text: proseOf(value) });
  }
  for (const file of readdirSync(join(ROOT, 'webview')).map((d) => `webview/${d}/strings.ts`).filter((f) => existsSync(join(ROOT, f)))) {
    const source = read(file);
    const split = source.search(/^const zhTw\b/m);
    expect(split, `${file} has a "const zhTw" section`).toBeGreaterThan(0);
    for (const s of literalsOf(source.slice(0, split))) texts.push({ file, language: 'en', text: proseOf(s) });
    for (const s of literalsOf(source.slice(split))) texts.push({ file, language: 'zh', text: proseOf(s) });
  }
  return texts;
}

/** What is wrong with one text, in words that name the file, the variant and the fix. */
function problemsOf(text: Text, terms: Term[]): string[] {
  const problems: string[] = [];
  const where = `${text.file}: "${text.text.trim().slice(0, 80)}"`;
  for (const term of terms) {
    if (text.language === 'zh') {
      for (const variant of term.rejectZh ?? []) {
        const found = /^[\x20-\x7e]+$/.test(variant) ? new RegExp(`\\b${escape(variant)}\\b`).test(text.text) : text.text.includes(variant);
        if (found) problems.push(`${where} uses ${variant}; the glossary's word is ${term.zh}`);
      }
      for (const english of term.englishInZh ?? []) {
        // A gloss in parentheses right after the Chinese term is allowed: 反向傳播(backpropagation).
        const glossed = new RegExp(`${escape(term.zh)}(\\*\\*)?[(（]${escape(english)}[)）]`, 'gi');
        if (new RegExp(`\\b${escape(english)}\\b`, 'i').test(text.text.replace(glossed, term.zh))) {
          problems.push(`${where} leaves "${english}" in English; write ${term.zh}`);
        }
      }
    } else {
      for (const variant of term.rejectEn ?? []) {
        if (new RegExp(`\\b${escape(variant)}\\b`).test(text.text)) problems.push(`${where} uses "${variant}"; the glossary's word is ${term.en}`);
      }
    }
  }
  if (text.language === 'zh' && hasCjk(text.text)) {
    // Emphasis marks are transparent (**誤差訊號**(…) is still CJK beside "("), and a , : ; ending a Chinese line counts.
    const plain = text.text.replace(/\*+/g, '');
    // Also a , : ; that ends the line or runs straight into the next word (Lab01:DNN), but not 10,000.
    const halfWidth = new RegExp(`[${CJK}][,:;()]|[,:;()][${CJK}]|[,:;]\\s*$|(?<!\\d)[,:;](?=\\S)|[,:;](?=[^\\s\\d])`, 'gm');
    for (const m of plain.matchAll(halfWidth)) {
      const mark = m[0].replace(new RegExp(`[${CJK}]|\\s`, 'g'), '');
      problems.push(`${where} has a half-width "${mark.trim()}" beside Chinese text at "${plain.slice(Math.max(0, m.index - 6), m.index + 8)}"; use the full-width ${{ ',': '\uff0c', ':': '\uff1a', ';': '\uff1b', '(': '\uff08', ')': '\uff09' }[mark]}`);
    }
  }
  return problems;
}

describe('the glossary', () => {
  it('gives every term one English and one Chinese word, and never rejects its own word', () => {
    expect(glossary.terms.length).toBeGreaterThan(30);
    for (const term of glossary.terms) {
      expect(term.en.trim(), JSON.stringify(term)).not.toBe('');
      expect(term.zh.trim(), JSON.stringify(term)).not.toBe('');
      for (const variant of term.rejectZh ?? []) expect(term.zh.includes(variant), `${term.zh} rejects ${variant}`).toBe(false);
    }
    const zh = glossary.terms.map((t) => t.zh);
    expect(zh.filter((w, i) => zh.indexOf(w) !== i)).toEqual([]);
  });

  it.each([
    ['uses 準確度', '驗證準確度'],
    ['uses 激活函數', '套用激活函數'],
    ['uses 您', '您的工作區'],
    ['uses 倒入', '將 MNIST 資料集倒入網路'],
    ['uses lab', '開啟 lab 設定'],
    ['leaves "loss"', '訓練 loss 下降'],
    ['leaves "overfitting"', '讓網路 overfitting'],
    ['half-width ","', '網路,以及'],
    ['half-width "("', '誤差訊號(error signal)'],
    ['half-width "("', '**誤差訊號**(error signal)'],
    ['half-width ":"', '套用激勵函數 M:'],
    ['half-width ":"', 'Lab01:DNN 神經網路訓練及驗證'],
  ])('flags Chinese text that %s: "%s"', (problem, sample) => {
    expect(problemsOf({ file: 'sample', language: 'zh', text: sample }, glossary.terms).join('\n')).toContain(problem);
  });

  it.each([
    ['uses "Lab 01"', 'Open Lab 01 first'],
    ['uses "medium"', 'Corelab 2 (medium)'],
  ])('flags English text that %s: "%s"', (problem, sample) => {
    expect(problemsOf({ file: 'sample', language: 'en', text: sample }, glossary.terms).join('\n')).toContain(problem);
  });

  it.each([
    ['反向傳播（backpropagation）如何求出微分。'],
    ['公式 M，其中 M。'],
    ['以 Adam 訓練 20 個 epoch，每個 epoch 之後顯示準確率。'],
    ['例如 0, 1, 0 的期望向量'],
    ['10,000 張測試圖片'],
  ])('accepts "%s"', (sample) => {
    expect(problemsOf({ file: 'sample', language: 'zh', text: sample }, glossary.terms)).toEqual([]);
  });

  it('leaves code, math and URLs alone', () => {
    expect(proseOf('設定 `learning_rate`，公式 $a(b)$ 與 https://example.com/a,b 以及 [連結](../x.md)')).toBe('設定 M，公式 M 與 M 以及 [連結]');
  });
});

describe('lessons, labs, READMEs, walkthrough and UI strings follow the glossary', () => {
  const texts = corpus();
  const byFile = new Map<string, string[]>();
  for (const text of texts) byFile.set(text.file, [...(byFile.get(text.file) ?? []), ...problemsOf(text, glossary.terms)]);

  it('reads every kind of file', () => {
    const kinds = ['lessons/7-1.zh-tw.md', 'labs/lab02/README.zh-tw.md', 'media/walkthrough/lesson-7-3.md', 'l10n/bundle.l10n.zh-tw.json', 'package.nls.zh-tw.json', 'webview/lesson/strings.ts'];
    for (const kind of kinds) expect([...byFile.keys()]).toContain(kind);
  });

  it.each([...new Set(texts.map((t) => t.file))])('%s', (file) => {
    expect(byFile.get(file)).toEqual([]);
  });
});
