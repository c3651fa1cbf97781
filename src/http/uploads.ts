/**
 * Multipart uploads (identity photos), for the routes of the scope that registers them: every other
 * route keeps BODY_LIMIT and JSON. At most 3 files of 10 MB each and a few short text fields; each
 * file is read whole into memory (the photo checks need all of it) and named by its field. A broken
 * rule is a 400 (or 415 for a body that is not multipart) naming the field.
 */
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { KYC_FILE_RULES } from '../contracts/kyc.ts';
import { fileTooLarge } from '../documents/photos.ts';
import { AppError, badRequest } from '../errors/app-error.ts';

const MAX_FILES = 3;

export interface Upload {
  fields: Record<string, string>;
  files: Map<string, Buffer>;
}

export async function registerUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: KYC_FILE_RULES.maxBytes, files: MAX_FILES, fields: 12, fieldSize: 16 * 1024, parts: MAX_FILES + 12, headerPairs: 50 },
  });
}

/** Reads the whole body; `files` and `fields` are the names allowed. */
export async function readUpload(request: FastifyRequest, allowed: { files: readonly string[]; fields: readonly string[] }): Promise<Upload> {
  if (!request.isMultipart()) throw new AppError(415, 'unsupported_media_type', 'Send the photos as multipart/form-data.');
  const upload: Upload = { fields: {}, files: new Map() };
  let current = '';
  try {
    for await (const part of request.parts()) {
      current = part.fieldname;
      const seen = part.type === 'file' ? upload.files.has(current) : current in upload.fields;
      if (seen) throw badRequest('invalid_request', `${current}: was sent twice.`);
      if (part.type === 'file') {
        if (!allowed.files.includes(current)) throw badRequest('invalid_request', `Unknown file field: ${current}.`);
        upload.files.set(current, await part.toBuffer());
      } else {
        if (!allowed.fields.includes(current)) throw badRequest('invalid_request', `Unknown field: ${current}.`);
        if (part.valueTruncated) throw badRequest('invalid_request', `${current}: is far too long.`);
        upload.fields[current] = String(part.value);
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw fileTooLarge(current);
    if (code === 'FST_FILES_LIMIT') throw badRequest('invalid_request', `Send at most ${MAX_FILES} photos.`);
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') throw badRequest('invalid_request', 'The form has more fields than it should.');
    throw badRequest('invalid_request', 'The upload was cut off or is not a well-formed multipart body. Try again.');
  }
  return upload;
}
