/**
 * Identity photos (an ID document, a selfie): what a file is, told by its content (file-type), never
 * its name or declared type; then decoded and re-encoded with sharp, which applies the EXIF
 * orientation and drops every piece of metadata (EXIF, GPS, XMP, ICC, comments). Only JPEG, PNG
 * and WebP are taken, at most 10 MB and at least 800×600 pixels (either way round). A failure says
 * which rule broke and why, naming the field.
 */
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { KYC_FILE_RULES } from '../contracts/kyc.ts';
import { badRequest, tooManyRequests, type AppError } from '../errors/app-error.ts';

export interface CleanPhoto {
  /** The re-encoded JPEG: no metadata, orientation applied. */
  bytes: Buffer;
  width: number;
  height: number;
}

/**
 * More pixels than a 48-megapixel phone camera makes is refused before decoding: a small file can
 * claim a huge image (a decompression bomb). Decoding is CPU- and memory-heavy and shares the thread
 * pool with the password hasher, so one photo is decoded at a time in the process (sharp itself on
 * one thread): uploads queue, sign-ins keep their threads.
 */
const MAX_PIXELS = 50_000_000;
const MB = 1024 * 1024;
sharp.concurrency(1);

/** Photos waiting at most (about two uploads): more is refused at once with 429 instead of queuing memory. */
const MAX_WAITING = 6;
let running: Promise<unknown> = Promise.resolve();
let waiting = 0;
/** Runs `work` after every photo job queued before it. */
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (waiting >= MAX_WAITING) return Promise.reject(tooManyRequests('too_many_requests', 'Many photos are being checked right now. Try again in a moment.', 10_000));
  waiting++;
  const next = running.then(work, work).finally(() => waiting--);
  running = next.catch(() => undefined);
  return next;
}

export const fileTooLarge = (field: string): AppError =>
  badRequest('file_too_large', `${field}: the file is larger than ${KYC_FILE_RULES.maxBytes / MB} MB. Take the photo again or choose a smaller one.`, { field });

export function cleanPhoto(field: string, input: Buffer): Promise<CleanPhoto> {
  return oneAtATime(() => clean(field, input));
}

async function clean(field: string, input: Buffer): Promise<CleanPhoto> {
  if (input.length > KYC_FILE_RULES.maxBytes) throw fileTooLarge(field);
  const type = await fileTypeFromBuffer(input);
  const format = type?.ext === 'jpg' ? 'jpeg' : type?.ext;
  if (!format || !(KYC_FILE_RULES.formats as readonly string[]).includes(format)) {
    const seen = type ? `it is ${type.mime}` : 'its content is not a known image format';
    throw badRequest('file_not_image', `${field}: the file is not a JPEG, PNG or WebP photo (${seen}), whatever its name says.`, { field });
  }
  const corrupt = () => badRequest('image_corrupt', `${field}: the image could not be read: it is damaged or incomplete. Take the photo again.`, { field });
  // The header only (no decoding): its size is checked against the limits below before anything is decoded.
  const meta = await sharp(input, { limitInputPixels: false }).metadata().catch(() => null);
  if (!meta || !meta.width || !meta.height || meta.format !== format) throw corrupt();
  if (meta.width * meta.height > MAX_PIXELS) {
    throw badRequest('image_too_large', `${field}: the image is ${meta.width}×${meta.height} pixels, more than any phone camera takes (${MAX_PIXELS / 1_000_000} megapixels at most).`, { field });
  }
  const [long, short] = [Math.max(meta.width, meta.height), Math.min(meta.width, meta.height)];
  if (long < KYC_FILE_RULES.minWidth || short < KYC_FILE_RULES.minHeight) {
    throw badRequest('image_too_small', `${field}: the image is ${meta.width}×${meta.height} pixels; it must be at least ${KYC_FILE_RULES.minWidth}×${KYC_FILE_RULES.minHeight} so the details can be read.`, { field });
  }
  try {
    // failOn 'warning': a truncated JPEG (libvips warns "premature end") is refused, not half-decoded.
    const { data, info } = await sharp(input, { limitInputPixels: MAX_PIXELS, failOn: 'warning' })
      .autoOrient()
      .jpeg({ quality: 90 })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch {
    throw corrupt();
  }
}
