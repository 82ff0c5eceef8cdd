/**
 * Imported first by the lesson page's DOM tests: the real page is a standards-mode document (webviewHtml writes
 * a doctype), but happy-dom reports quirks mode, in which KaTeX refuses to render from the moment it is loaded.
 * happy-dom also has no ElementInternals, which the VS Code buttons only need to exist.
 */
Object.defineProperty(document, 'compatMode', { value: 'CSS1Compat', configurable: true });
const proto = HTMLElement.prototype as unknown as { attachInternals?: () => unknown };
proto.attachInternals ??= () => ({ setFormValue() {}, setValidity() {}, states: new Set(), form: null });
