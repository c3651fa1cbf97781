/**
 * Every error code the API answers with, in one typed list: `{"error": code, "message": text}`.
 * The status an AppError carries is chosen where it is thrown (the helpers in app-error.ts); the
 * code must be one of these. The web app maps each code to a human message, typed over this list,
 * so a code without a message fails its type check (web/src/error-messages.ts).
 */
export const ERROR_CODES = {
  // Requests the server cannot take (http/error-handler.ts)
  invalid_request: 'A field is missing, of the wrong type or not allowed; the message names it.',
  invalid_json: 'The body is not valid JSON.',
  payload_too_large: 'The body is larger than BODY_LIMIT.',
  unsupported_media_type: 'The body is not application/json.',
  not_found: 'No such route, session or device.',
  internal_error: 'Something unexpected failed; nothing secret is in the answer.',
  not_ready: 'The database is unreachable or migrations are pending (/readyz).',
  csrf_rejected: 'A state-changing request came from an origin that is not trusted.',
  // Sessions and step-up
  not_authenticated: 'No live session.',
  enroll_2fa_required: 'The session may only enroll the mandatory second factor.',
  step_up_required: 'A strong factor must be shown within STEP_UP_MAX_AGE first.',
  reauthentication_required: 'Only a fresh sign-in may add a factor to an account without a strong one.',
  // Sign-up and sign-in
  weak_password: 'The password breaks a rule of the policy (the rule is named).',
  invalid_credentials: 'Wrong email or password, unknown email, or a refused passkey (all alike).',
  email_not_verified: 'The email address is not verified yet.',
  account_locked: 'Too many failed attempts; lockedUntil says when it lifts.',
  too_many_requests: 'A rate limit; retryAfter says when to try again.',
  invalid_verification: 'The verification link or code is wrong, used or expired.',
  flow_expired: 'The sign-in flow is over: expired, finished, or from another browser.',
  device_not_confirmed: 'The new device has not been confirmed from the email yet.',
  account_frozen: 'The owner locked the account.',
  password_required: 'A frozen account is unlocked only with the password too.',
  strong_factor_required: 'Only a passkey or authenticator app may unlock a frozen account.',
  // Factors
  invalid_code: 'The code is wrong, expired or already used.',
  invalid_passkey: 'The passkey response was not accepted.',
  second_factor_required: 'The action needs a second factor and none was sent.',
  no_pending_setup: 'There is no authenticator setup to confirm.',
  no_second_factor: 'The account has no strong factor yet.',
  last_strong_factor: 'Removing this would leave the account without a strong factor.',
  no_passkey: 'The account has no passkey.',
  passkey_rejected: 'The new passkey is not usable (no user verification, not discoverable, wrong origin).',
  passkey_exists: 'That passkey is registered already.',
  passkey_not_found: 'No such passkey on the account.',
  passkeys_unavailable: 'Passkeys need a domain name (not an IP address).',
  challenge_expired: 'The passkey challenge expired or was used.',
  // Links and settings
  invalid_token: 'The emailed link is wrong, used or expired.',
  email_unavailable: 'The new email address was taken by another account before the change was confirmed.',
  invalid_anti_phishing_code: 'The anti-phishing code breaks its pattern.',
  invalid_cursor: 'The pagination cursor was not issued by this API.',
  account_locked_by_staff: 'Support locked the account; only support can lift it.',
  message_already_sent: 'The outbox message was delivered already; there is nothing to retry.',
  account_not_locked: 'There is no lock on the account that staff can lift.',
  // Identity verification (KYC) and its uploads
  file_missing: 'A photo the submission needs was not sent (the field is named).',
  file_not_image: 'A file is not a JPEG, PNG or WebP image by its content, whatever its name says.',
  file_too_large: 'A file is larger than 10 MB.',
  image_too_small: 'An image is smaller than 800×600 pixels.',
  image_too_large: 'An image has more pixels than a phone camera takes (50 megapixels).',
  image_corrupt: 'An image could not be decoded (truncated or damaged).',
  underage: 'The applicant must be 18 or older.',
  kyc_in_progress: 'A submission is already under review or verified.',
  kyc_no_resubmission: 'Nothing was asked to be sent again, or an item sent was not asked for.',
  kyc_case_closed: 'The case was decided already.',
  // The staff console
  staff_only: 'The route is for staff; this account has no staff role.',
  staff_step_up_required: 'Staff routes need a strong factor shown within STAFF_STEP_UP_MAX_AGE.',
  staff_permission_denied: 'The staff role does not allow this action.',
  staff_own_account: 'Staff may not decide on their own case or lift a lock on their own account.',
  // Lost 2FA: the reset request
  kyc_set_required: "The account's identity is not verified: the reset request must bring the whole KYC set (details and document photos).",
  two_factor_not_enrolled: 'The account has no second factor to reset: sign in and set one up.',
  two_factor_reset_open: 'The account has a reset request open already (one at a time).',
  two_factor_reset_limit: 'Three reset requests in 30 days; retryAfter says when the next may be opened.',
  two_factor_reset_closed: 'The reset request was decided, cancelled or carried out already.',
  two_factor_reset_kyc_unverified: 'Approving a reset needs the identity verified first (the KYC queue).',
  // Money: the ledger, prices and trades
  insufficient_funds: 'The available balance of the asset is smaller than the amount.',
  hold_resolved: 'Held funds were released or sent already (each hold is resolved once).',
  unknown_asset: 'The asset is not one this platform holds (GET /api/balances lists them).',
  invalid_amount: 'The amount is not a positive decimal with at most the asset’s decimals.',
  price_unavailable: 'No USD price for the asset, or it is older than PRICE_MAX_AGE.',
  quote_expired: 'The quote is older than its 15 seconds: ask for a new one.',
  quote_used: 'The quote was accepted already.',
  idempotency_key_reused: 'The Idempotency-Key was used before with another request (422).',
  idempotency_in_progress: 'A request with this Idempotency-Key is still being answered; retry shortly.',
  deposit_mismatch: 'The transaction output was credited already, to another account, asset or amount.',
  invalid_address: 'The address breaks its network’s rule (base58check, bech32/bech32m, EIP-55); the message names it.',
  address_exists: 'The address is in the address book for this asset already.',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;
