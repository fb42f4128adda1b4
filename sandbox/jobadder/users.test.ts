import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { USER_ID, startTestJobadder } from './testing.ts';

let t: Awaited<ReturnType<typeof startTestJobadder>>;
beforeAll(async () => {
  t = await startTestJobadder();
});
afterAll(() => t.close());

beforeEach(async () => {
  await t.admin.post('/_sandbox/clock', { now: '2026-09-01T12:00:00Z', frozen: true });
  await t.reset({
    users: [
      { userId: USER_ID, firstName: 'Ann', lastName: 'Admin', email: 'ann@agency.test' },
      {
        userId: 12,
        firstName: 'Bob',
        lastName: 'Durand',
        email: 'Bob@Agency.test',
        position: 'Recruiter',
        mobile: '+61 412 000 012',
        admin: false,
        createdAt: '2026-01-01T00:00:00Z',
      },
      { userId: 13, firstName: 'Ivy', lastName: 'Inactive', email: 'ivy@agency.test', inactive: true },
      { userId: 14, firstName: 'Dan', lastName: 'Deleted', email: 'dan@agency.test', deleted: true },
      { userId: 15, firstName: 'Eve', lastName: 'Last', email: 'eve@agency.test' },
    ],
  });
});

const userIds = (body: Record<string, unknown>) => (body.items as { userId: number }[]).map((u) => u.userId);

describe('JobAdder simulator: users (GET /users, JobAdder OpenAPI v2)', () => {
  it('GEN-EMAIL-1: lists the account users as UserSummaryModel, inactive ones flagged, deleted ones left out', async () => {
    const res = await t.api.get('/users');
    expect(res.status).toBe(200);
    expect(userIds(res.body)).toEqual([USER_ID, 12, 13, 15]);
    expect(res.body.totalCount).toBe(4);
    const items = res.body.items as Record<string, unknown>[];
    expect(items[1]).toEqual({
      userId: 12,
      firstName: 'Bob',
      lastName: 'Durand',
      position: 'Recruiter',
      email: 'Bob@Agency.test',
      phone: null,
      mobile: '+61 412 000 012',
      inactive: false,
      deleted: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      links: { self: `${t.url}/v2/users/12` },
    });
    expect(items[2]).toMatchObject({ userId: 13, inactive: true });
    // The summary is not the representation: no admin flag nor account name.
    expect(items[0]).not.toHaveProperty('admin');
    // A deleted user is still readable by id, flagged.
    expect((await t.api.get('/users/14')).body).toMatchObject({ userId: 14, deleted: true });
  });

  it('GEN-EMAIL-1: filters by Email, case-insensitively; a deleted user is not found by it', async () => {
    expect(userIds((await t.api.get('/users?Email=bob%40agency.TEST')).body)).toEqual([12]);
    expect(userIds((await t.api.get('/users?email=ivy%40agency.test')).body)).toEqual([13]);
    expect((await t.api.get('/users?Email=dan%40agency.test')).body).toMatchObject({
      items: [],
      totalCount: 0,
    });
  });

  it('pages with Offset and Limit, with totalCount and links; a bad Limit is a 400 naming it', async () => {
    const first = await t.api.get('/users?Limit=2');
    expect(userIds(first.body)).toEqual([USER_ID, 12]);
    expect(first.body.totalCount).toBe(4);
    const links = first.body.links as Record<string, string>;
    expect(links.next).toBe(`${t.url}/v2/users?Offset=2&Limit=2`);
    expect(links.prev).toBeUndefined();
    const second = await t.api.get('/users?Limit=2&Offset=2');
    expect(userIds(second.body)).toEqual([13, 15]);
    expect((second.body.links as Record<string, string>).next).toBeUndefined();
    expect((await t.api.get('/users?Limit=0')).body).toMatchObject({ items: [], totalCount: 4 });
    const bad = await t.api.get('/users?Offset=x');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errors: [{ code: 'Invalid', fields: ['Offset'] }] });
  });

  it('the current user and one user by id are still served beside the list', async () => {
    expect((await t.api.get('/users/current')).body).toMatchObject({ userId: USER_ID, admin: true });
    expect((await t.api.get('/users/12')).body).toMatchObject({ userId: 12, admin: false });
    expect((await t.api.get('/users/999')).status).toBe(404);
  });
});
