// The part of JSON Schema that fakeauth's OpenAPI description uses, to check answers by.
export function problems(value, schema, components, where = "$") {
  while (schema.$ref) schema = components[schema.$ref.replace("#/components/schemas/", "")];
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((option) => problems(value, option, components, where).length === 0);
    return matching.length === 1 ? [] : [`${where}: ${matching.length} of oneOf match ${JSON.stringify(value)}`];
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${where}: ${JSON.stringify(value)} not in ${schema.enum}`];
  if (schema.type) {
    const kinds = [schema.type].flat();
    if (!kinds.some((kind) => is(value, kind))) return [`${where}: ${JSON.stringify(value)} is not ${kinds.join("/")}`];
  }
  const found = [];
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const props = schema.properties ?? {};
    for (const key of schema.required ?? []) if (!(key in value)) found.push(`${where}: no ${key}`);
    if (schema.properties) for (const key of Object.keys(value)) if (!(key in props)) found.push(`${where}: undescribed ${key}`);
    for (const [key, sub] of Object.entries(props)) if (key in value) found.push(...problems(value[key], sub, components, `${where}.${key}`));
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, index) => found.push(...problems(item, schema.items, components, `${where}[${index}]`)));
  }
  return found;
}

function is(value, kind) {
  switch (kind) {
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "null":
      return value === null;
    default:
      return typeof value === kind;
  }
}

/** The operation of the description that a client route calls. */
export function operationOf(description, route) {
  return description.paths[`/__fakeauth${route.path}`]?.[route.method.toLowerCase()];
}

/** The schema of an operation's first success answer; null for a 204. */
export function successSchema(operation) {
  const status = Object.keys(operation.responses).find((code) => code.startsWith("2"));
  return operation.responses[status].content?.["application/json"].schema ?? null;
}
