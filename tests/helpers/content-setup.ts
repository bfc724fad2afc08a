import { inject } from 'vitest';
import { setContent, type ContentSnapshot } from '../../src/lib/server/content/registry';

// Every test file starts serving what its database holds: the template's published content.
setContent(JSON.parse(inject('contentSnapshot')) as ContentSnapshot);
