import { ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { KitRunParamsV1 } from '@vista/contracts';
import { IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf, ValidateNested, registerDecorator } from 'class-validator';

/** Rejects the property when `other` is given too. */
function AbsentWith(other: string): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'absentWith',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [other],
      options: { message: `give either ${other} or ${String(propertyName)}, not both` },
      validator: { validate: (_value: unknown, args) => (args?.object as Record<string, unknown>)[other] === undefined },
    });
}

/** Starts a kit run on an uploaded deck (`deckId`) or a file in the deck folder (`sourcePath`). */
export class StartKitRunRequest {
  @ApiPropertyOptional({ format: 'uuid', description: 'A deck uploaded with `POST /api/v1/decks`. Exactly one of deckId and sourcePath.' })
  @ValidateIf((o: StartKitRunRequest) => o.deckId !== undefined || o.sourcePath === undefined)
  @IsUUID(undefined, { message: 'deckId must be a UUID (give deckId or sourcePath)' })
  deckId?: string;

  @ApiPropertyOptional({ description: "A .csv or .json file relative to the deck service's folder.", example: 'samples/plant-a.csv', maxLength: 500 })
  @ValidateIf((o: StartKitRunRequest) => o.sourcePath !== undefined)
  @IsString()
  @MaxLength(500)
  @Matches(/^(?!\/)(?!.*\.\.)[\w./-]+\.(csv|json)$/, { message: 'sourcePath must be a relative .csv or .json path without ".."' })
  @AbsentWith('deckId')
  sourcePath?: string;

  @ApiPropertyOptional({
    allOf: [{ $ref: getSchemaPath(KitRunParamsV1.name) }],
    description:
      'Parameters of the DOE, ML and optimize stages (every field has a default), checked before anything starts: ' +
      'a bad value answers 400 naming its path (`params.doe.points`), and no run is started.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => KitRunParamsV1)
  params?: KitRunParamsV1;
}
