/**
 * The desktop app's SecretBox: Electron's safeStorage, which encrypts with the system's
 * keychain (macOS Keychain, Windows DPAPI, the Secret Service or KWallet on Linux). Where it
 * cannot encrypt (no keychain, or Linux's `basic_text` backend, whose key is fixed and so only
 * obfuscates), passwords are kept as typed in a file only this user can read, and every
 * connection summary says `secretsEncrypted: false`. Takes safeStorage as a parameter, so it
 * is tested without Electron.
 */
import type { SafeStorage } from 'electron';
import { FILE_PERMISSIONS_BOX, type SecretBox } from '../core/host/connections';

/** The part of Electron's safeStorage the box uses. */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

/** The box for this machine: encrypting when the system's keychain is there, else file permissions only. Call after the app is ready. */
export function safeStorageBox(safeStorage: SafeStorageLike, platform: string): SecretBox {
  if (!safeStorage.isEncryptionAvailable()) return FILE_PERMISSIONS_BOX;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return FILE_PERMISSIONS_BOX;
  return {
    encrypted: true,
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}
