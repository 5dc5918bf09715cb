/**
 * Schema compilers that remember what they compiled, process-wide.
 *
 * Fastify compiles every route schema again for each app instance (a fresh Ajv and fresh
 * fast-json-stringify per app). Production builds one app per process, so this changes nothing there;
 * the test suite builds hundreds, and compiling ~300 routes (the recursive segment-rules schema alone
 * costs ~0.5 s) was most of each app's start. A compiled validator or serializer depends only on
 * the route schema, the shared schemas and the compiler options, so those three are the cache key.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<Factories['buildValidator']>;
type SerializerFactory = NonNullable<Factories['buildSerializer']>;

const memo = <F>(cache: Map<string, F>, key: string, make: () => F): F => {
  const hit = cache.get(key);
  if (hit) return hit;
  const made = make();
  cache.set(key, made);
  return made;
};

const ajvPool = AjvCompiler();
const validators = new Map<string, ReturnType<ReturnType<ValidatorFactory>>>();

const buildValidator: ValidatorFactory = (externalSchemas, options) => {
  const compile = ajvPool(externalSchemas, options);
  const prefix = JSON.stringify([externalSchemas, options]);
  return (route) => memo(validators, `${prefix}${JSON.stringify(route.schema)}`, () => compile(route));
};

const serializerSelector = SerializerSelector();
const serializers = new Map<string, ReturnType<ReturnType<SerializerFactory>>>();

const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = serializerSelector(externalSchemas, options);
  const prefix = JSON.stringify([externalSchemas, options]);
  return (route) => memo(serializers, `${prefix}${JSON.stringify(route.schema)}`, () => compile(route));
};

export const cachedCompilers: Factories = { buildValidator, buildSerializer };
