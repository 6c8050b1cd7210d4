// better-auth's own password hash, so users seeded before sign-in exists can sign in with it later.
export { hashPassword, verifyPassword } from 'better-auth/crypto';
