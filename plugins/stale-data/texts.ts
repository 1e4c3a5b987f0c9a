/** What each finding says, in Russian (the default) and English. */
export interface Reason {
  ru: string;
  en: string;
}

const days = (n: number) => {
  const d = Math.round(n);
  const m10 = d % 10;
  const m100 = d % 100;
  const ru = m10 === 1 && m100 !== 11 ? 'день' : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ? 'дня' : 'дней';
  return { ru: `${d} ${ru}`, en: `${d} day${d === 1 ? '' : 's'}` };
};

export const reasons = {
  ownerInactive: (owner: string): Reason => ({
    ru: `Ответственный «${owner}» уволен или деактивирован`,
    en: `The owner, ${owner}, is dismissed or deactivated`,
  }),
  noActivity: (idle: number, limit: number): Reason => ({
    ru: `Нет активности ${days(idle).ru}; на этой стадии обычно не дольше ${days(limit).ru}`,
    en: `No activity for ${days(idle).en}; deals usually leave this stage within ${days(limit).en}`,
  }),
  noNextTask: (): Reason => ({ ru: 'Не запланировано следующее дело', en: 'No next task is planned' }),
  overdueTask: (late: number): Reason => ({ ru: `Дело просрочено на ${days(late).ru}`, en: `The task is ${days(late).en} overdue` }),
  closeDatePast: (late: number): Reason => ({
    ru: `Дата закрытия прошла ${days(late).ru} назад, сделка всё ещё открыта`,
    en: `The close date passed ${days(late).en} ago and the deal is still open`,
  }),
  missingData: (fields: string[]): Reason => {
    const ru: Record<string, string> = { amount: 'сумма', contact: 'телефон или e-mail', source: 'источник' };
    const en: Record<string, string> = { amount: 'amount', contact: 'phone or e-mail', source: 'source' };
    return {
      ru: `Не заполнено: ${fields.map((f) => ru[f] ?? f).join(', ')}`,
      en: `Missing: ${fields.map((f) => en[f] ?? f).join(', ')}`,
    };
  },
  duplicateContact: (by: 'phone' | 'email', value: string, others: string[]): Reason => ({
    ru: `Дубль: ${by === 'phone' ? 'телефон' : 'e-mail'} ${value} есть и у контактов ${others.join(', ')}`,
    en: `Duplicate: ${by} ${value} is also on contacts ${others.join(', ')}`,
  }),
};
