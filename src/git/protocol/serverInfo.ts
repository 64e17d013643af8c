/** What the server says about itself in capability advertisements. */
export const AGENT = 'grove/0.1.0';

/** The only object format Grove stores. */
export const OBJECT_FORMAT = 'sha1';
