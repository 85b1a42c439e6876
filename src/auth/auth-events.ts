/** A failed authentication was refused: 401 (`refused`), or 429 while its address is locked out (`locked_out`). */
export const AUTH_REFUSED = 'auth.refused';

export interface AuthRefusedEvent {
  result: 'refused' | 'locked_out';
}
