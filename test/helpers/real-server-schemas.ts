/**
 * What the mcp_gateway skill's schema conversion makes of two tools of the installed reference servers. The
 * converter's test and the end-to-end SWML test pin the same result, so an upgrade of either server is one edit.
 */

/** server-memory `create_entities`: the `entities` property (a nested array of objects with its required list). */
export const MEMORY_CREATE_ENTITIES_ENTITIES = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'The name of the entity' },
      entityType: { type: 'string', description: 'The type of the entity' },
      observations: { type: 'array', items: { type: 'string' }, description: 'An array of observation contents associated with the entity' },
    },
    required: ['name', 'entityType', 'observations'],
  },
};

/** server-everything `get-resource-links`: the `count` property (default kept, range folded into the description). */
export const EVERYTHING_RESOURCE_LINKS_COUNT = {
  type: 'number',
  description: 'Number of resource links to return (1-10) (minimum 1, maximum 10)',
  default: 3,
};
