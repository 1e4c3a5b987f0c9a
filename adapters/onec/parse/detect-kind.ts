import type { CmlKind } from './types.js';

// import.xml, import0_1.xml, import___<GUID>.xml (1C splits big exchanges into numbered or GUID-named parts).
const NAME = /^(import|offers|prices|rests)(?:\d+(?:_\d+)*|___[\w-]+)?\.xml$/i;

/** The kind a 1C exchange file name announces, or undefined (orders, query replies, anything else). */
export function detectKind(fileName: string): CmlKind | undefined {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const kind = NAME.exec(base)?.[1];
  return kind === undefined ? undefined : (kind.toLowerCase() as CmlKind);
}
