import type { Handler } from '../context.js';
import { errors } from '../errors.js';
import { SCOPE } from '../oauth.js';
import { iso, nowS } from '../time.js';

// apidocs: api-reference/common/system/app-info.md, profile.md, server-time.md, scope.md; widgets/placement-{bind,get,unbind}.md
export const app: Record<string, Handler> = {
  'app.info': (_p, { ctx }) => ({
    result: { ID: 7, CODE: 'local.svodka', VERSION: 1, STATUS: 'L', INSTALLED: true, PAYMENT_EXPIRED: 'N', DAYS: null, LANGUAGE_ID: 'ru', LICENSE: 'ru_company', LICENSE_TYPE: 'company', LICENSE_FAMILY: 'company', member_id: ctx.memberId },
  }),
  profile: (_p, { ctx, caller }) => {
    const u = ctx.data.users.get(caller.userId);
    return { result: { ID: caller.userId, ADMIN: u?.isAdmin ?? false, NAME: u?.name ?? '', LAST_NAME: u?.lastName ?? '', PERSONAL_GENDER: u?.gender ?? '', PERSONAL_PHOTO: null, TIME_ZONE: 'Europe/Moscow', TIME_ZONE_OFFSET: 10800 } };
  },
  'server.time': () => ({ result: iso(nowS()) }),
  scope: () => ({ result: SCOPE.split(',') }),
  methods: (_p) => ({ result: [] }),
  'placement.bind': (p, { ctx }) => {
    const placement = String(p.PLACEMENT ?? '');
    const handler = String(p.HANDLER ?? '');
    if (!placement) throw errors.required('PLACEMENT');
    if (!/^https?:\/\//.test(handler)) throw errors.required('HANDLER');
    if (ctx.placements.some((x) => x.placement === placement && x.handler === handler)) throw errors.argValue('Handler already binded');
    ctx.placements.push({ placement, handler, title: String(p.TITLE ?? ''), description: String(p.DESCRIPTION ?? '') });
    return { result: true };
  },
  'placement.get': (_p, { ctx }) => ({ result: ctx.placements.map((x) => ({ placement: x.placement, handler: x.handler, title: x.title, description: x.description, options: [], langAll: { ru: { TITLE: x.title, DESCRIPTION: x.description, GROUP_NAME: '' } } })) }),
  'placement.unbind': (p, { ctx }) => {
    const before = ctx.placements.length;
    const placement = String(p.PLACEMENT ?? '');
    const handler = p.HANDLER === undefined ? null : String(p.HANDLER);
    ctx.placements = ctx.placements.filter((x) => !(x.placement === placement && (handler === null || x.handler === handler)));
    return { result: { count: before - ctx.placements.length } };
  },
};
