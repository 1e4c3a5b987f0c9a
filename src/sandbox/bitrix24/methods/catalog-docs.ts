import type { Handler, Params } from '../context.js';
import { errors } from '../errors.js';
import { iso, nowS } from '../time.js';

// Stock is changed the way the docs recommend: an inventory document (A arrival, S adjustment, D write-off,
// M move) with elements, then catalog.document.conduct applies it to catalog.storeproduct.
interface Doc {
  id: number;
  docType: string;
  status: 'N' | 'Y';
  currency: string;
  responsibleId: number;
  created: number;
  elements: { id: number; elementId: number; storeFrom: number | null; storeTo: number | null; amount: number; purchasingPrice: number }[];
}
const docs = new WeakMap<object, Doc[]>();
let nextElement = 1;

function docsOf(data: object): Doc[] {
  let list = docs.get(data);
  if (!list) docs.set(data, (list = []));
  return list;
}

const docWire = (d: Doc) => ({ id: d.id, docType: d.docType, status: d.status, currency: d.currency, responsibleId: d.responsibleId, createdBy: d.responsibleId, dateCreate: iso(d.created), title: `Документ №${d.id}` });

// apidocs: api-reference/catalog/document/catalog-document-add.md, document/element/catalog-document-element-add.md, catalog-document-conduct.md
export const catalogDocs: Record<string, Handler> = {
  'catalog.document.add': (p, { ctx, caller }) => {
    const fl = (p.fields ?? {}) as Params;
    const docType = String(fl.docType ?? '');
    if (!['A', 'S', 'D', 'M'].includes(docType)) throw errors.argValue('fields.docType must be one of A, S, D, M');
    const list = docsOf(ctx.data);
    const d: Doc = { id: list.length + 1, docType, status: 'N', currency: String(fl.currency ?? 'RUB'), responsibleId: Number(fl.responsibleId ?? caller.userId), created: nowS(), elements: [] };
    list.push(d);
    return { result: { document: docWire(d) } };
  },
  'catalog.document.element.add': (p, { ctx }) => {
    const fl = (p.fields ?? {}) as Params;
    const d = docsOf(ctx.data).find((x) => x.id === Number(fl.docId));
    if (!d) throw errors.notFound('Document not found');
    if (!ctx.data.products.get(Number(fl.elementId))) throw errors.notFound('Product not found');
    const el = { id: nextElement++, elementId: Number(fl.elementId), storeFrom: fl.storeFrom ? Number(fl.storeFrom) : null, storeTo: fl.storeTo ? Number(fl.storeTo) : null, amount: Number(fl.amount ?? 0), purchasingPrice: Number(fl.purchasingPrice ?? 0) };
    d.elements.push(el);
    return { result: { documentElement: { ...el, docId: d.id } } };
  },
  'catalog.document.conduct': (p, { ctx }) => {
    const d = docsOf(ctx.data).find((x) => x.id === Number(p.id));
    if (!d) throw errors.notFound('Document not found');
    if (d.status === 'Y') throw errors.argValue('Document already conducted');
    const stock = ctx.data.storeProducts;
    const change = (productId: number, storeId: number | null, delta: number) => {
      if (storeId === null) return;
      const row = stock.rows.find((r) => r.productId === productId && r.storeId === storeId) ?? stock.add({ id: stock.nextId, productId, storeId, amount: 0, quantityReserved: 0 });
      row.amount += delta;
    };
    for (const e of d.elements) {
      if (d.docType === 'A' || d.docType === 'S') change(e.elementId, e.storeTo, e.amount);
      if (d.docType === 'D' || d.docType === 'M') change(e.elementId, e.storeFrom, -e.amount);
      if (d.docType === 'M') change(e.elementId, e.storeTo, e.amount);
    }
    d.status = 'Y';
    stock.touch();
    return { result: true };
  },
};
