export type Attrs = Record<string, string>;

/** The local part of a qualified name: "cml:Товар" → "Товар". */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** An attribute by its local name, with or without a prefix. */
export function attr(attrs: Attrs, name: string): string | undefined {
  const direct = attrs[name];
  if (direct !== undefined) return direct;
  for (const key in attrs) if (localName(key) === name) return attrs[key];
  return undefined;
}

/** Trimmed text, or undefined when empty. */
export function clean(raw: string | undefined): string | undefined {
  const s = raw?.trim();
  return s ? s : undefined;
}

export function isDeletedStatus(raw: string | undefined): boolean {
  return raw?.trim() === 'Удален';
}
