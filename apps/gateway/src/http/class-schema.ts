// The nested classes are read from design-time types (emitted by the decorators' metadata).
import 'reflect-metadata';
import type { SchemaObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

type ClassOf = abstract new (...args: never[]) => object;

interface ConstraintMetadata {
  readonly type: string;
  readonly name?: string;
  readonly propertyName: string;
  readonly constraints?: unknown[];
}

/** The schema a named validator stands for; validators not listed add nothing. */
const CONSTRAINTS: Record<string, (constraints: unknown[]) => SchemaObject> = {
  isIn: ([values]) => {
    const list = [...(values as unknown[])];
    return list.every((v) => typeof v === 'string') ? { type: 'string', enum: list } : { enum: list };
  },
  isInt: () => ({ type: 'integer' }),
  isNumber: () => ({ type: 'number' }),
  isBoolean: () => ({ type: 'boolean' }),
  isString: () => ({ type: 'string' }),
  isUUID: () => ({ type: 'string', format: 'uuid' }),
  isISO8601: () => ({ type: 'string', format: 'date-time' }),
  isObject: () => ({ type: 'object', additionalProperties: true }),
  isArray: () => ({ type: 'array', items: {} }),
  maxLength: ([n]) => ({ maxLength: n as number }),
  min: ([n]) => ({ minimum: n as number }),
  max: ([n]) => ({ maximum: n as number }),
  isFactorBounds: () => ({
    type: 'object',
    description: 'Factor name → [low, high], low below high.',
    additionalProperties: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
    example: { x1: [0, 10] },
  }),
};

/**
 * OpenAPI schemas of a class-validator class and of the classes nested in it (`@ValidateNested`
 * with the property's declared class), by class name. The contracts in libs/contracts carry no
 * Swagger decorators; this reads what they validate, so the document cannot drift from the rules.
 * Unknown properties are refused by the gateway, hence `additionalProperties: false`.
 */
export function classSchemas(root: ClassOf): Record<string, SchemaObject> {
  const schemas: Record<string, SchemaObject> = {};
  const visit = (cls: ClassOf): void => {
    if (schemas[cls.name]) return;
    const properties: Record<string, SchemaObject> = {};
    const required: string[] = [];
    schemas[cls.name] = { type: 'object', properties, additionalProperties: false };
    const metadata = getMetadataStorage().getTargetValidationMetadatas(cls as never, '', true, false) as unknown as ConstraintMetadata[];
    const byProperty = new Map<string, ConstraintMetadata[]>();
    for (const m of metadata) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
    for (const [property, constraints] of byProperty) {
      let schema: SchemaObject = {};
      let optional = false;
      for (const c of constraints) {
        if (c.type === 'conditionalValidation') optional = true;
        else if (c.type === 'nestedValidation') {
          const nested = Reflect.getMetadata('design:type', cls.prototype, property) as ClassOf | undefined;
          if (nested && nested !== Object && nested !== Array) {
            visit(nested);
            schema = { ...schema, allOf: [{ $ref: `#/components/schemas/${nested.name}` }] } as SchemaObject;
          }
        } else if (c.name && CONSTRAINTS[c.name]) {
          schema = { ...schema, ...CONSTRAINTS[c.name]!(c.constraints ?? []) };
        }
      }
      properties[property] = schema;
      if (!optional) required.push(property);
    }
    if (required.length > 0) schemas[cls.name]!.required = required;
  };
  visit(root);
  return schemas;
}
