import { describe, expect, it } from 'vitest';
import { lessonMath, parseInline, parseLesson } from '../../webview/lesson/lessonMarkdown';

describe('parseLesson', () => {
  it('reads headings, paragraphs joined across lines, lists, display math and widget lines', () => {
    const blocks = parseLesson('# Title\n\nOne\nline.\n\n- a $x$\n- **b**\n\n$$\nz = 1\n$$\n\n::: open-lab lab01 Lab 01: train\n');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, content: [{ kind: 'text', text: 'Title' }] },
      { kind: 'paragraph', content: [{ kind: 'text', text: 'One line.' }] },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'a ' }, { kind: 'math', text: 'x' }], [{ kind: 'bold', text: 'b' }]] },
      { kind: 'math', tex: 'z = 1' },
      { kind: 'widget', name: 'open-lab', args: ['lab01', 'Lab', '01:', 'train'], rest: 'lab01 Lab 01: train' },
    ]);
  });

  it('keeps an unclosed $$ block as math to the end, so the mistake shows instead of vanishing', () => {
    expect(parseLesson('$$\na = b\nmore')).toEqual([{ kind: 'math', tex: 'a = b\nmore' }]);
  });

  it('collects display and inline math in order', () => {
    expect(lessonMath(parseLesson('Text $a$ and $b$.\n\n$$\nc\n$$\n\n1. $d$'))).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('parseInline', () => {
  it.each([
    ['plain', [{ kind: 'text', text: 'plain' }]],
    ['*about 15 minutes.* rest', [{ kind: 'em', text: 'about 15 minutes.' }, { kind: 'text', text: ' rest' }]],
    ['`code` and $\\delta^l$', [{ kind: 'code', text: 'code' }, { kind: 'text', text: ' and ' }, { kind: 'math', text: '\\delta^l' }]],
    ['a lone $ stays text', [{ kind: 'text', text: 'a lone $ stays text' }]],
  ])('%s', (text, parts) => {
    expect(parseInline(text)).toEqual(parts);
  });
});
