/** Injection token of the validated connectors manifest. */
export const HUB_MANIFEST = Symbol('HUB_MANIFEST');
