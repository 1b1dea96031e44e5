/**
 * Configures the schema library once: English messages for `zod/mini` (the
 * tree-shakable build, so the firmware bundle carries only the validators it
 * uses). Imported for its side effect by every schema module.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
