import { ApiProperty } from '@nestjs/swagger';

const OBJECT = { type: 'object', additionalProperties: true, nullable: true } as const;

/** A registered model (`read.models`): its metrics, how it was built and where it came from. */
export class Model {
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty() modelVersion!: number;
  @ApiProperty() kitId!: number;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ example: 'ridge' }) algorithm!: string;
  @ApiProperty({ format: 'uuid' }) deckId!: string;
  @ApiProperty({ format: 'uuid', description: 'The DOE dataset it was trained on.' }) datasetId!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, example: { rmse: 0.41, mae: 0.3 } }) metrics!: unknown;
  @ApiProperty() r2!: number;
  @ApiProperty({ ...OBJECT, description: 'Null for models registered before it was recorded (also the columns below).' }) hyperparameters!: unknown;
  @ApiProperty({ ...OBJECT, description: 'Preprocessing, scaling and validation settings.' }) params!: unknown;
  @ApiProperty({ type: [String], nullable: true, description: 'Factor order of array rows in `predict`.' }) factors!: unknown;
  @ApiProperty({ nullable: true, type: String }) response!: string | null;
  @ApiProperty({ ...OBJECT, description: 'deck → design → model.' }) lineage!: unknown;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the stored artifact.' }) artifactDigest!: string | null;
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty() position!: number;
}

export class ModelPage {
  @ApiProperty({ type: [Model] }) items!: Model[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ description: 'Models matching the filters: exact up to 10,000, estimated from the table statistics beyond when unfiltered.' })
  total!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' })
  nextCursor!: string | null;
  @ApiProperty({ description: 'The sort the page is in.' }) sort!: string;
}

/** `200` answer of `POST /models/{modelId}/predict`. */
export class Prediction {
  @ApiProperty({ format: 'uuid' }) modelId!: string;
  @ApiProperty() modelVersion!: number;
  @ApiProperty({ description: 'The response predicted.' }) response!: string;
  @ApiProperty({ type: [String], description: 'The factors, in the order array rows use.' }) factors!: string[];
  @ApiProperty({ type: [Number], description: 'One prediction per row, in row order.' }) predictions!: number[];
}
