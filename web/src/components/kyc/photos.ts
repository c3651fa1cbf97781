/**
 * What a KYC photo must be, checked in the browser before it is sent so a wrong file is named at
 * once: a JPEG, PNG or WebP image of at most 10 MB (KYC_FILE_RULES in contracts/kyc.ts). The server
 * checks everything again by the file's content, and its size in pixels.
 */
import type { KYC_FILE_RULES, KycFileItem } from '../../../../src/contracts/kyc.ts';

type Rules = typeof KYC_FILE_RULES;

/** The formats the server accepts, as the browser names their types. */
const FORMATS = ['jpeg', 'png', 'webp'] as const satisfies Rules['formats'];
const TYPES: readonly string[] = FORMATS.map((format) => `image/${format}`);

/** The file input's `accept`. */
export const PHOTO_ACCEPT = TYPES.join(',');

/** KYC_FILE_RULES.maxBytes. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;

/** Why the file cannot be sent, or null when it can. */
export function photoProblem(file: File): string | null {
  if (!TYPES.includes(file.type)) return 'Choose a photo in JPEG, PNG or WebP format. This file is not one of them.';
  if (file.size === 0) return 'This file is empty. Take the photo again.';
  if (file.size > MAX_PHOTO_BYTES) return `This photo is ${megabytes(file.size)}; the limit is ${megabytes(MAX_PHOTO_BYTES)}. Take it again or choose a smaller one.`;
  return null;
}

/** What makes a photo good enough to check, by the kind of photo. */
export const PHOTO_GUIDANCE: Record<KycFileItem, string> = {
  documentFront:
    'Lay the document flat in good light. All four corners visible, no glare, in focus. A photo of the document itself: not a screenshot or a photocopy. JPEG, PNG or WebP, up to 10 MB.',
  documentBack:
    'Turn the document over. All four corners visible, no glare, in focus. A photo of the document itself: not a screenshot or a photocopy. JPEG, PNG or WebP, up to 10 MB.',
  selfie: 'Face the camera in good light, your face clearly visible: no hat or sunglasses. JPEG, PNG or WebP, up to 10 MB.',
};

/** The 2FA reset's selfie: the person and their ID document in one photo, both readable. */
export const SELFIE_WITH_DOCUMENT_GUIDANCE =
  'Hold your ID document next to your face and take a new photo now. Your face and the document both clearly visible, the document readable: no glare, in focus. A photo taken now: not a screenshot or an older picture. JPEG, PNG or WebP, up to 10 MB.';
