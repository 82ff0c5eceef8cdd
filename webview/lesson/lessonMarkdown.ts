/**
 * The small Markdown dialect lessons are written in (lessons/*.md), parsed into blocks the page renders.
 * Headings (#, ##, ###), paragraphs, "- " and "1. " lists, display math between lines of "$$", and
 * "::: name args" lines that place an interactive part (stepper, overfit, worked-example, a link...).
 * Inline: $math$, **bold**, *emphasis* and `code`. Pure: no DOM, so tests read lessons the way the page does.
 */

/** One piece of a line of text. */
export type Inline = { kind: 'text' | 'bold' | 'em' | 'code' | 'math'; text: string };

/** One block of a lesson. */
export type LessonBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; content: Inline[] }
  | { kind: 'paragraph'; content: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'math'; tex: string }
  | { kind: 'widget'; name: string; args: string[]; rest: string };

/** Parses a whole lesson. Unclosed $$ blocks run to the end, so a typo shows up as visible (red) math, not lost text. */
export function parseLesson(text: string): LessonBlock[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: LessonBlock[] = [];
  let paragraph: string[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', content: parseInline(paragraph.join(' ')) });
    if (list) blocks.push({ kind: 'list', ordered: list.ordered, items: list.items.map(parseInline) });
    paragraph = [];
    list = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') {
      flush();
      continue;
    }
    if (line === '$$') {
      flush();
      const tex: string[] = [];
      for (i++; i < lines.length && lines[i].trim() !== '$$'; i++) tex.push(lines[i]);
      blocks.push({ kind: 'math', tex: tex.join('\n').trim() });
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1].length as 1 | 2 | 3, content: parseInline(heading[2]) });
      continue;
    }
    const widget = /^:::\s+([a-z0-9-]+)\s*(.*)$/.exec(line);
    if (widget) {
      flush();
      const rest = widget[2].trim();
      const args = rest === '' ? [] : rest.split(/\s+/);
      blocks.push({ kind: 'widget', name: widget[1], args, rest });
      continue;
    }
    const item = /^(-|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      const ordered = item[1] !== '-';
      if (paragraph.length > 0 || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push(item[2]);
      continue;
    }
    if (list) list.items[list.items.length - 1] += ` ${line}`;
    else paragraph.push(line);
  }
  flush();
  return blocks;
}

/** Splits a line into text, **bold**, *emphasis*, `code` and $math$; a lone unmatched marker stays text. */
export function parseInline(text: string): Inline[] {
  const parts: Inline[] = [];
  const pattern = /\$([^$]+)\$|\*\*([^*]+)\*\*|\*([^*]+)\*|`([^`]+)`/g;
  let last = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match.index > last) parts.push({ kind: 'text', text: text.slice(last, match.index) });
    if (match[1] !== undefined) parts.push({ kind: 'math', text: match[1] });
    else if (match[2] !== undefined) parts.push({ kind: 'bold', text: match[2] });
    else if (match[3] !== undefined) parts.push({ kind: 'em', text: match[3] });
    else parts.push({ kind: 'code', text: match[4] });
    last = pattern.lastIndex;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** Every piece of TeX in a lesson, display and inline, in order. */
export function lessonMath(blocks: readonly LessonBlock[]): string[] {
  const inline = (content: Inline[]) => content.filter((p) => p.kind === 'math').map((p) => p.text);
  return blocks.flatMap((b) => {
    switch (b.kind) {
      case 'math':
        return [b.tex];
      case 'heading':
      case 'paragraph':
        return inline(b.content);
      case 'list':
        return b.items.flatMap(inline);
      default:
        return [];
    }
  });
}
