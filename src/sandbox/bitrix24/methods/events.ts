import type { Handler } from '../context.js';

// apidocs: api-reference/events/event-bind.md, event-unbind.md, event-get.md, event-offline-get.md, event-offline-clear.md
export const events: Record<string, Handler> = {
  'event.bind': (p, { ctx }) => ({ result: ctx.events.bind(p) }),
  'event.unbind': (p, { ctx }) => ({ result: ctx.events.unbind(p) }),
  'event.get': (_p, { ctx }) => ({ result: ctx.events.list() }),
  'events': () => ({ result: ['ONCRMDEALADD', 'ONCRMDEALUPDATE', 'ONCRMDEALDELETE', 'ONCRMLEADADD', 'ONCRMLEADUPDATE', 'ONCRMCONTACTADD', 'ONCRMCOMPANYADD', 'ONCRMACTIVITYADD', 'ONAPPUNINSTALL'] }),
  'event.offline.get': (p, { ctx }) => ({ result: ctx.events.offlineGet(p) }),
  'event.offline.clear': (p, { ctx }) => ({ result: ctx.events.offlineClear(p) }),
};
