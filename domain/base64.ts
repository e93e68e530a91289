/**
 * Bytes as base64 text and back, the same in the browser and in Node (btoa/atob are in both): update bytes
 * in JSON (the storage proof, the unload journal), a PIN's salt, a state vector. Built in chunks, since
 * String.fromCharCode(...bytes) of a whole large update would overflow the call stack.
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
