// The YAML library's writer, for an answers file stringifySimple (answers.ts) cannot write: its
// own module, so answers.ts can load it when needed (a static import gives the bundle the
// library's CommonJS exports by name; a dynamic import of 'yaml' itself would not).
export { stringify } from 'yaml';
