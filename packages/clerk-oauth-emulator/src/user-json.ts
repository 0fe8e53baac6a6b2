import type { EmulatorUser } from "./types";

/** Clerk's Backend API User object, timestamps in epoch milliseconds. */
export function userJson(user: EmulatorUser) {
  return {
    id: user.id,
    object: "user",
    external_id: null,
    username: user.username,
    first_name: user.firstName,
    last_name: user.lastName,
    image_url: user.imageUrl,
    // Clerk reports false for its generated avatars, which the initials images stand in for.
    has_image: false,
    primary_email_address_id: user.primaryEmailAddressId,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    password_enabled: false,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    email_addresses: user.emailAddresses.map((address) => ({
      // `id` is optional in Clerk's spec; a record with an empty id stands for one sent without.
      ...(address.id === "" ? {} : { id: address.id }),
      object: "email_address",
      email_address: address.emailAddress,
      reserved: false,
      verification: address.verified
        ? { status: "verified", strategy: "email_code", attempts: null, expire_at: null }
        : null,
      linked_to: [],
      created_at: user.createdAt,
      updated_at: user.updatedAt,
    })),
    phone_numbers: [],
    web3_wallets: [],
    passkeys: [],
    external_accounts: [],
    saml_accounts: [],
    enterprise_accounts: [],
    public_metadata: user.publicMetadata,
    private_metadata: user.privateMetadata,
    unsafe_metadata: user.unsafeMetadata,
    banned: user.banned,
    locked: user.locked,
    lockout_expires_in_seconds: null,
    verification_attempts_remaining: 100,
    last_sign_in_at: user.lastSignInAt,
    last_active_at: user.lastSignInAt,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    delete_self_enabled: true,
    create_organization_enabled: true,
    legal_accepted_at: null,
  };
}
