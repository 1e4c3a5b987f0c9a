import { CmlError, CmlNotCatalogError } from './errors.js';
import type { CmlHeader, CmlKind } from './types.js';

const PACKAGES = new Set(['ПакетПредложений', 'ИзмененияПакетаПредложений']);
const ORDERS = new Set(['Документ', 'Контейнер']);

/** What the file says about itself: the root attributes and the sections seen so far. */
export class HeaderState {
  schemaVersion = '';
  generatedAt: string | undefined;
  rootOnlyChanges: boolean | undefined;
  sectionOnlyChanges: boolean | undefined;
  catalogId: string | undefined;
  classifierId: string | undefined;
  packageId: string | undefined;
  family: 'import' | 'package' | undefined;
  sawClassifier = false;
  sawQueryFormat = false;

  constructor(private readonly fileKind: CmlKind | undefined) {}

  /** A child of the root; orders are refused here, before anything else is read. */
  openSection(name: string, line: number): void {
    if (ORDERS.has(name)) {
      throw new CmlNotCatalogError(
        `Это файл заказов (<${name}>), а не каталог, цены или остатки: он пропущен / an orders file, not a catalog`,
        line,
      );
    }
    if (name === 'Классификатор') this.sawClassifier = true;
    else if (name === 'Каталог') this.family ??= 'import';
    else if (PACKAGES.has(name)) this.family ??= 'package';
  }

  /** The kind of the file, decided once the first product or offer is read, or at the end. */
  decide(offerHint: CmlKind | undefined, line: number): CmlHeader {
    const named = this.fileKind;
    let kind: CmlKind;
    if (this.family === 'package') kind = named !== undefined && named !== 'import' ? named : (offerHint ?? 'offers');
    else if (this.family === 'import' || this.sawClassifier) kind = 'import';
    else {
      const what = this.sawQueryFormat ? 'похоже на ответ сайта на запрос заказов (mode=query)' : 'нечего загружать';
      throw new CmlNotCatalogError(
        `В файле нет ни каталога, ни предложений — ${what} / no catalog and no offers in this file`,
        line,
      );
    }
    if (named !== undefined && (named === 'import') !== (kind === 'import')) {
      throw new CmlError(
        `Имя файла говорит «${named}», а внутри ${kind === 'import' ? 'каталог товаров' : 'пакет предложений'} / the file name does not match its content (${kind})`,
        line,
      );
    }
    const header: CmlHeader = {
      kind,
      schemaVersion: this.schemaVersion,
      onlyChanges: this.rootOnlyChanges ?? this.sectionOnlyChanges ?? false,
    };
    if (this.generatedAt) header.generatedAt = this.generatedAt;
    const catalogId = this.catalogId || this.classifierId;
    if (catalogId) header.catalogId = catalogId;
    if (this.packageId) header.packageId = this.packageId;
    return header;
  }
}

export function isPackage(section: string): boolean {
  return PACKAGES.has(section);
}

export function parseBool(raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  return raw.trim().toLowerCase() === 'true';
}
