/**
 * Named parameters for a plugin's SQL: `:name` becomes `$n` in order of first use, and the values come
 * out in that order. Postgres refuses a parameter it cannot type, so a query gets only what it uses.
 */
export function named(sql: string, values: Record<string, unknown>): [string, unknown[]] {
  const order: string[] = [];
  const text = sql.replace(/(?<![:\w]):([a-zA-Z][a-zA-Z0-9]*)\b/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`SQL parameter :${name} has no value`);
    let i = order.indexOf(name);
    if (i < 0) i = order.push(name) - 1;
    return `$${i + 1}`;
  });
  return [text, order.map((n) => values[n])];
}
