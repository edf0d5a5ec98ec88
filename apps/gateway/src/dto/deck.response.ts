import { ApiProperty } from '@nestjs/swagger';
import { DATASET_TYPES } from '@vista/contracts';
import { DECK_FORMATS } from './upload-deck.request.js';

/** A stored deck (`read.decks`). */
export class Deck {
  @ApiProperty({ format: 'uuid' }) deckId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: DATASET_TYPES }) datasetType!: string;
  @ApiProperty({ enum: DECK_FORMATS }) format!: string;
  @ApiProperty({ type: [String] }) factors!: unknown;
  @ApiProperty({ type: [String] }) responses!: unknown;
  @ApiProperty() rowCount!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Per-column statistics.' }) statistics!: unknown;
  @ApiProperty({ nullable: true, type: String }) groundTruth!: string | null;
  @ApiProperty({ format: 'date-time' }) ingestedAt!: string;
  @ApiProperty() position!: number;
}

/** `201` answer of `POST /decks`. */
export class DeckSummary {
  @ApiProperty({ format: 'uuid' }) deckId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: DATASET_TYPES }) datasetType!: string;
  @ApiProperty({ enum: DECK_FORMATS }) format!: string;
  @ApiProperty() rowCount!: number;
  @ApiProperty({ type: [String] }) factors!: string[];
  @ApiProperty({ type: [String] }) responses!: string[];
}
