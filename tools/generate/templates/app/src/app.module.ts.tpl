import { type DynamicModule, Module } from '@nestjs/common';
import { ServiceInfrastructureModule } from '@vista/service-host';
import { __NAME___CONFIG, __NAME___SCHEMA, type __Name__Config } from './config/__name__.config.js';
import { __Name__Commands } from './controllers/__name__.commands.js';
import { __Name__LogRepository } from './repositories/__name__-log.repository.js';
import { Describe__Name__UseCase } from './use-cases/describe-__name__/describe-__name__.use-case.js';

@Module({})
export class __Name__Module {
  static forRoot(config: __Name__Config): DynamicModule {
    return {
      module: __Name__Module,
      imports: [ServiceInfrastructureModule.forRoot({ name: '__name__', schema: __NAME___SCHEMA, config })],
      controllers: [__Name__Commands],
      providers: [{ provide: __NAME___CONFIG, useValue: config }, __Name__LogRepository, Describe__Name__UseCase],
    };
  }
}
