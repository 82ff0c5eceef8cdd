/** The path of a value in its parent, as messages show it: `optimizer.learningRate`, `layers[2]`, `layers[0]["odd key"]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  // Keys that are not identifiers (spaces, empty) stay readable and unambiguous in brackets.
  if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}
