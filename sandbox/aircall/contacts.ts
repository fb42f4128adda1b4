/**
 * Contacts (API-CONTRACTS 1.6): `GET /v1/contacts`, `GET
 * /v1/contacts/search?phone_number=<E.164>&email=`, `GET /v1/contacts/:id`,
 * `POST /v1/contacts` (create), `POST /v1/contacts/:id` (update: Aircall uses
 * POST, not PUT/PATCH), `DELETE /v1/contacts/:id`, `POST
 * /v1/contacts/:id/phone_details`. Changes send `contact.created|updated|deleted`.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toE164 } from '../../lib/phone/e164.ts';
import { type SimContext, idParam } from './context.ts';
import { notFound, sendError, unprocessable } from './errors.ts';
import { contactJson } from './objects.ts';
import { paginate } from './pagination.ts';
import { contactRecord, contactSeed, labelledValues } from './seed.ts';
import type { CompanyState, ContactRecord } from './state.ts';

const createBody = contactSeed.omit({ id: true, created_at: true, updated_at: true });
const updateBody = z.object({
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  company_name: z.string().nullish(),
  information: z.string().nullish(),
  is_shared: z.boolean().optional(),
});
const phoneDetailBody = z.object({ label: z.string().nullish(), value: z.string().min(1) });

/**
 * The country used to read numbers stored without a country code: the
 * company's first number's, else US. (How Aircall reads such numbers is
 * [unverified]; contacts are normally stored in international format.)
 */
export function defaultCountry(company: CompanyState): string {
  return company.numbers.values().next().value?.country ?? 'US';
}

/** The contacts with a phone number equal, in E.164, to `e164` (GEN-PHONE-1). */
export function contactsWithPhone(company: CompanyState, e164: string): ContactRecord[] {
  const country = defaultCountry(company);
  return [...company.contacts.values()].filter((c) =>
    c.phone_numbers.some((p) => {
      const parsed = toE164(p.value, country);
      return parsed.ok && parsed.e164 === e164;
    }),
  );
}

function issuesByField(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'base');
    (out[field] ??= []).push(issue.message);
  }
  return out;
}

export function registerContactRoutes(app: FastifyInstance, ctx: SimContext): void {
  const nowIso = () => new Date(ctx.clock.now()).toISOString();
  const emit = (company: CompanyState, event: string, c: ContactRecord) =>
    ctx.emit(company, { resource: 'contact', event, timestamp: ctx.nowSeconds(), data: contactJson(c) });

  app.get('/v1/contacts', async (req) => {
    const { page, meta } = paginate(req, [...ctx.companyOf(req).contacts.values()]);
    return { contacts: page.map(contactJson), meta };
  });

  // phone_number must be readable as a phone number; Aircall's answer to an unreadable one is [unverified].
  app.get('/v1/contacts/search', async (req, reply) => {
    const company = ctx.companyOf(req);
    const q = req.query as Record<string, string | undefined>;
    let found = [...company.contacts.values()];
    if (q.phone_number !== undefined) {
      const parsed = toE164(q.phone_number, defaultCountry(company));
      if (!parsed.ok) {
        return sendError(reply, 400, `phone_number: ${parsed.message}; send it in E.164, e.g. +33612345678`);
      }
      found = contactsWithPhone(company, parsed.e164);
    }
    if (q.email !== undefined) {
      const email = q.email.toLowerCase();
      found = found.filter((c) => c.emails.some((e) => e.value.toLowerCase() === email));
    }
    const order = q.order === 'desc' ? -1 : 1;
    const key = q.order_by === 'updated_at' ? 'updated_at' : 'created_at';
    found.sort((a, b) => order * (a[key].localeCompare(b[key]) || a.id - b.id));
    const { page, meta } = paginate(req, found);
    return { contacts: page.map(contactJson), meta };
  });

  app.get('/v1/contacts/:id', async (req, reply) => {
    const contact = ctx.companyOf(req).contacts.get(idParam(req) ?? 0);
    if (!contact) return notFound(reply, 'Contact');
    return { contact: contactJson(contact) };
  });

  // A contact needs at least one phone number ([unverified] wording of the 422).
  app.post('/v1/contacts', async (req, reply) => {
    const company = ctx.companyOf(req);
    const body = createBody.safeParse(req.body ?? {});
    if (!body.success) return unprocessable(reply, issuesByField(body.error));
    if (!body.data.phone_numbers?.length) return unprocessable(reply, { phone_numbers: ["can't be blank"] });
    const contact = contactRecord(ctx.state, body.data, nowIso());
    company.contacts.set(contact.id, contact);
    emit(company, 'contact.created', contact);
    return reply.code(201).send({ contact: contactJson(contact) });
  });

  // Phone numbers and emails are not changed here (Aircall has phone_details/email_details routes
  // for them, API-CONTRACTS 1.6); sending them is ignored [unverified].
  app.post('/v1/contacts/:id', async (req, reply) => {
    const company = ctx.companyOf(req);
    const contact = company.contacts.get(idParam(req) ?? 0);
    if (!contact) return notFound(reply, 'Contact');
    const body = updateBody.safeParse(req.body ?? {});
    if (!body.success) return unprocessable(reply, issuesByField(body.error));
    const d = body.data;
    if (d.first_name !== undefined) contact.first_name = d.first_name;
    if (d.last_name !== undefined) contact.last_name = d.last_name;
    if (d.company_name !== undefined) contact.company_name = d.company_name;
    if (d.information !== undefined) contact.information = d.information;
    if (d.is_shared !== undefined) contact.is_shared = d.is_shared;
    contact.updated_at = nowIso();
    emit(company, 'contact.updated', contact);
    return { contact: contactJson(contact) };
  });

  // [unverified] answer body: the updated contact.
  app.post('/v1/contacts/:id/phone_details', async (req, reply) => {
    const company = ctx.companyOf(req);
    const contact = company.contacts.get(idParam(req) ?? 0);
    if (!contact) return notFound(reply, 'Contact');
    const body = phoneDetailBody.safeParse(req.body ?? {});
    if (!body.success) return unprocessable(reply, { value: ["can't be blank"] });
    contact.phone_numbers.push(...labelledValues(ctx.state, [body.data], 'Work'));
    contact.updated_at = nowIso();
    emit(company, 'contact.updated', contact);
    return reply.code(201).send({ contact: contactJson(contact) });
  });

  app.delete('/v1/contacts/:id', async (req, reply) => {
    const company = ctx.companyOf(req);
    const contact = company.contacts.get(idParam(req) ?? 0);
    if (!contact) return notFound(reply, 'Contact');
    company.contacts.delete(contact.id);
    emit(company, 'contact.deleted', contact);
    return reply.code(204).send();
  });
}
