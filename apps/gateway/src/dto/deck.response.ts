import { ApiProperty } from '@nestjs/swagger';
import { DATASET_TYPES } from '@vista/contracts';
import { Freshness } from './freshness.response.js';
import { DECK_FORMATS } from './upload-deck.request.js';

/** A deck in a list (`read.decks`), without its statistics. */
export class DeckListItem {
  @ApiProperty({ format: 'uuid' }) deckId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ enum: DATASET_TYPES }) datasetType!: string;
  @ApiProperty({ enum: DECK_FORMATS }) format!: string;
  @ApiProperty({ type: [String] }) factors!: unknown;
  @ApiProperty({ type: [String] }) responses!: unknown;
  @ApiProperty() rowCount!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Reference (path, URI or id) of the ground truth the dataset is judged against.' })
  groundTruth!: string | null;
  @ApiProperty({ description: 'Archived decks are left out of lists unless asked for (`archived=include|only`); they stay readable by id.' })
  archived!: boolean;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) archivedAt!: string | null;
  @ApiProperty({ format: 'date-time', description: 'When it was stored.' }) ingestedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When its profile last changed (stored, updated or archived).' }) updatedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Who made that change.' }) updatedBy!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who uploaded it (a user id): its owner.' }) uploadedBy!: string | null;
  @ApiProperty({ description: 'Version: the position of the last event applied to it.' }) position!: number;
}

/** A stored deck (`read.decks`) with its column statistics. */
export class Deck extends DeckListItem {
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Per-column statistics.' }) statistics!: unknown;
}

export class DeckPage {
  @ApiProperty({ type: [DeckListItem] }) items!: DeckListItem[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor!: string | null;
  @ApiProperty({ description: 'The sort the page is in.' }) sort!: string;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: Freshness, description: 'How fresh the list is: every event up to `position` is in it (also `Vista-Position`).' })
  freshness!: Freshness;
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
