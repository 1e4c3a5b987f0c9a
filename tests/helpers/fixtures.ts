import type { ModelInput } from '../../src/model/index.js';

export function deal(id: string, over: Partial<ModelInput<'deals'>> = {}): ModelInput<'deals'> {
  return {
    externalId: id,
    title: `Сделка ${id}`,
    pipelineId: '0',
    stageId: 'NEW',
    amount: '1500.50',
    currency: 'RUB',
    responsibleId: '7',
    utmSource: 'yandex',
    createdAt: '2026-01-10T09:00:00+03:00',
    updatedAt: '2026-01-11T10:00:00Z',
    ...over,
  };
}
