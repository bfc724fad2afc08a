import { page } from '$app/state';
import { DEFAULT_ZONES, type Zones } from './format';

/** The zones of the page being shown (from the root layout), for components that format dates. */
export function pageZones(): Zones {
	return page.data.zones ?? DEFAULT_ZONES;
}
