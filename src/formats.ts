// Formats several areas share (the shared core: rules and the API layer both import them).

/** ID-6: product codes are upper-case identifiers (PW_EXPLORER, MICROSTATION, …), 2–40 characters. */
export const PRODUCT_CODE = /^[A-Z][A-Z0-9_]{1,39}$/;

/** LIC-5: a product version has four numeric parts (10.0.3.280). */
export const PRODUCT_VERSION = /^\d{1,6}\.\d{1,6}\.\d{1,6}\.\d{1,6}$/;
