// Pieces shared by procedure inputs. Every input is a strict object: unknown keys are refused, so
// `workspaceId`, `role` or `createdBy` smuggled into an input cannot reach a query.
import { z } from 'zod';

/** A row id (uuid v7 here; ids are opaque strings to clients). */
export const Id = z.string().min(1).max(64);

/** Page size for list procedures. */
export const Limit = z.number().int().min(1).max(200).default(50);

/** A short free text written by a person (a comment, a reason). */
export const Comment = z.string().trim().min(1).max(2000);

/** A display name. */
export const Name = z.string().trim().min(1).max(120);

/** `{ id }` for procedures about one row. */
export const ById = z.strictObject({ id: Id });
