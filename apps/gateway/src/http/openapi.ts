import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { KitRunParamsV1 } from '@vista/contracts';
import { ApiModule } from '../api.module.js';
import { classSchemas } from './class-schema.js';

/** The OpenAPI document of the REST API at /docs-json, with Swagger UI at /docs. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Vista API')
    .setDescription(
      'The public API of Vista, an event-sourced control plane for ML pipelines. Queries read the projected read model ' +
        '(answers carry the position they were built at); commands are answered once the owning service accepted them. ' +
        'Every error is `application/problem+json`. Every route under /api needs an access token ' +
        '(`Authorization: Bearer <token>`, issued by the auth service); some need a role as well.',
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .setVersion('1')
    .build();
  const document = SwaggerModule.createDocument(app, config, { include: [ApiModule] });
  // The run parameters are contract classes without Swagger decorators: their schemas come from their validators.
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...classSchemas(KitRunParamsV1) } };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
