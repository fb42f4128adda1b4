/**
 * HUBSPOT_DEFINED association types between the simulated object types
 * (API-CONTRACTS 2.3, from HubSpot's own Ruby client; treated as fixtures per
 * API-CONTRACTS 5). Each pair is stored in both directions with the reverse
 * id of the table. Ids the table leaves blank are marked [unverified].
 */
import type { ObjectType } from './state.ts';

export interface AssociationTypeRow {
  from: ObjectType;
  to: ObjectType;
  typeId: number;
  reverseTypeId: number;
  /** null for the unlabelled (default) type. */
  label: string | null;
}

type Pair = [from: ObjectType, to: ObjectType, typeId: number, reverseTypeId: number, label?: string];

const PAIRS: Pair[] = [
  ['calls', 'contacts', 194, 193],
  ['calls', 'companies', 182, 181],
  ['calls', 'tickets', 220, 219],
  ['communications', 'contacts', 81, 82],
  ['communications', 'tickets', 83, 84],
  ['communications', 'companies', 87, 88],
  ['notes', 'contacts', 202, 201],
  // company -> note 189 [unverified: not in API-CONTRACTS 2.3].
  ['notes', 'companies', 190, 189],
  ['notes', 'tickets', 228, 227],
  ['tickets', 'contacts', 16, 15],
  ['tickets', 'companies', 339, 340],
  // company -> ticket (primary) 25 [unverified].
  ['tickets', 'companies', 26, 25, 'Primary'],
  ['contacts', 'companies', 279, 280],
  // company -> contact (primary) 2 [unverified].
  ['contacts', 'companies', 1, 2, 'Primary'],
];

export const ASSOCIATION_TYPES: AssociationTypeRow[] = PAIRS.flatMap(
  ([from, to, typeId, reverseTypeId, label]) => [
    { from, to, typeId, reverseTypeId, label: label ?? null },
    { from: to, to: from, typeId: reverseTypeId, reverseTypeId: typeId, label: label ?? null },
  ],
);

/** The row for `typeId` from `from` (to any type), or null when HubSpot would not know it. */
export function associationTypeFrom(from: ObjectType, typeId: number): AssociationTypeRow | null {
  return ASSOCIATION_TYPES.find((r) => r.from === from && r.typeId === typeId) ?? null;
}

/** The unlabelled type from `from` to `to` (the one `PUT .../associations/default/...` uses), or null. */
export function defaultAssociationType(from: ObjectType, to: ObjectType): AssociationTypeRow | null {
  return ASSOCIATION_TYPES.find((r) => r.from === from && r.to === to && r.label === null) ?? null;
}
