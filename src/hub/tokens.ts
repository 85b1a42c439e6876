/** Injection tokens of the hub module. */
export const HUB_CONFIG = Symbol('HUB_CONFIG');
export const HUB_MANIFEST = Symbol('HUB_MANIFEST');
export const HUB_DATABASE = Symbol('HUB_DATABASE');
