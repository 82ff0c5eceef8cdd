/** "Open this lab", Corelab and Demo 7-3 buttons: the host runs the labs' and training panel's commands. */
import type { MessageEndpoint } from '../../../src/protocol/endpoint';
import {
  lessonPageReplyGuards,
  type FromLessonPage,
  type LessonLink,
  type ToLessonPage,
} from '../../../src/protocol/lessonProtocol';
import type { PageStrings } from '../strings';
import { button, el, setEnabled } from './controls';
import { errorText } from '../../../src/engine/errorText';

/** A link card: the label, a button, and the reason when it cannot open here. */
export function linkCard(
  link: LessonLink,
  label: string,
  action: string,
  available: boolean,
  strings: PageStrings,
  host: MessageEndpoint<ToLessonPage, FromLessonPage>,
): HTMLElement {
  const card = el('div', 'link-card');
  const note = el('span', 'link-note');
  const open = button(action, () => {
    note.textContent = '';
    host.request('lesson/openLink', link, lessonPageReplyGuards['lesson/openLink']).catch((err: unknown) => {
      note.textContent = strings.linkFailed(errorText(err));
      note.classList.add('error');
    });
  });
  setEnabled(open, available);
  if (!available) note.textContent = link.kind === 'demo-7-3' ? strings.linkMissingDemo : strings.linkMissingLab;
  card.append(el('span', 'link-label', label), open, note);
  return card;
}
