import { Table } from '../table.js';
import type { Category, Status } from './types.js';

type Sem = 'P' | 'S' | 'F';
const generalStages: [string, string, Sem, string][] = [
  ['NEW', 'Новая', 'P', '#39A8EF'],
  ['PREPARATION', 'Подготовка документов', 'P', '#2FC6F6'],
  ['PREPAYMENT_INVOICE', 'Счёт на предоплату', 'P', '#55D0E0'],
  ['EXECUTING', 'В работе', 'P', '#47E4C2'],
  ['FINAL_INVOICE', 'Финальный счёт', 'P', '#FFA900'],
  ['WON', 'Сделка успешна', 'S', '#7BD500'],
  ['LOSE', 'Сделка провалена', 'F', '#FF5752'],
  ['APOLOGY', 'Анализ причины провала', 'F', '#FF5752'],
];
const pipelineStages: [string, string, Sem, string][] = [
  ['NEW', 'Новая', 'P', '#39A8EF'],
  ['PREPARATION', 'Согласование', 'P', '#2FC6F6'],
  ['EXECUTING', 'Исполнение', 'P', '#47E4C2'],
  ['WON', 'Сделка успешна', 'S', '#7BD500'],
  ['LOSE', 'Сделка провалена', 'F', '#FF5752'],
];
const leadStatuses: [string, string, Sem, string][] = [
  ['NEW', 'Не обработан', 'P', '#39A8EF'],
  ['IN_PROCESS', 'В работе', 'P', '#2FC6F6'],
  ['PROCESSED', 'Обработан', 'P', '#55D0E0'],
  ['CONVERTED', 'Качественный лид', 'S', '#7BD500'],
  ['JUNK', 'Некачественный лид', 'F', '#FF5752'],
];
export const sources: [string, string][] = [
  ['CALL', 'Звонок'],
  ['EMAIL', 'Электронная почта'],
  ['WEB', 'Веб-сайт'],
  ['ADVERTISING', 'Реклама'],
  ['PARTNER', 'Существующий клиент'],
  ['RECOMMENDATION', 'По рекомендации'],
  ['TRADE_SHOW', 'Выставка'],
  ['WEBFORM', 'CRM-форма'],
  ['CALLBACK', 'Обратный звонок'],
  ['OTHER', 'Другое'],
];
const pipelineNames = ['Общая', 'Оптовые продажи', 'Сервис', 'Тендеры', 'Партнёры', 'Розница'];

export function stageEntity(categoryId: number): string {
  return categoryId === 0 ? 'DEAL_STAGE' : `DEAL_STAGE_${categoryId}`;
}
export function stagePrefix(categoryId: number): string {
  return categoryId === 0 ? '' : `C${categoryId}:`;
}

export function buildStages(pipelines: number) {
  const categories = new Table<Category>();
  const statuses = new Table<Status>();
  const semantics = new Map<string, Sem>();
  const add = (entityId: string, rows: [string, string, Sem | null, string | null][], categoryId: number | null, prefix: string) => {
    rows.forEach(([code, name, sem, color], i) => {
      const statusId = prefix + code;
      statuses.add({ id: statuses.nextId, entityId, statusId, name, sort: (i + 1) * 10, system: sem !== 'P' || i === 0, categoryId, color, semantic: sem });
      if (sem) semantics.set(`${entityId}|${statusId}`, sem);
    });
  };
  for (let c = 0; c < Math.max(1, pipelines); c++) {
    categories.add({ id: c, name: pipelineNames[c] ?? `Воронка ${c}`, sort: (c + 1) * 100, isDefault: c === 0 });
    add(stageEntity(c), c === 0 ? generalStages : pipelineStages, c, stagePrefix(c));
  }
  add('STATUS', leadStatuses, null, '');
  add('SOURCE', sources.map(([code, name]) => [code, name, null, null]), null, '');
  return { categories, statuses, semantics };
}

/** Stage ids of a pipeline split into in-progress, won and lost. */
export function stagesOf(statuses: Table<Status>, entityId: string) {
  const rows = statuses.rows.filter((s) => s.entityId === entityId).sort((a, b) => a.sort - b.sort);
  return {
    open: rows.filter((s) => s.semantic === 'P').map((s) => s.statusId),
    won: rows.filter((s) => s.semantic === 'S').map((s) => s.statusId),
    lost: rows.filter((s) => s.semantic === 'F').map((s) => s.statusId),
  };
}
