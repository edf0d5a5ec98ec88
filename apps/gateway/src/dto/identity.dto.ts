import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DECISIONS, type Decision, ROLES, type Role } from '@vista/contracts';

const STATUSES = ['pending', ...DECISIONS] as const;
const toBoolean = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

// ---- Requests ----

export class LoginRequest {
  @ApiProperty({ maxLength: 100, description: 'The local admin (VISTA_ADMIN_USER) or another local user.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  username!: string;

  @ApiProperty({ maxLength: 200, format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password!: string;
}

export class RefreshRequest {
  @ApiProperty({ maxLength: 300, description: 'The refresh token of the last login or refresh (each is used once).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  refreshToken!: string;
}

export class SsoLoginQuery {
  @ApiPropertyOptional({ maxLength: 100, description: 'A username to prefill at the identity provider.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  loginHint?: string;
}

export class SsoCallbackQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) code?: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) state!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) iss?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) error?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) error_description?: string;
}

export class CreateUserRequest {
  @ApiProperty({ maxLength: 100 }) @IsString() @IsNotEmpty() @MaxLength(100) username!: string;
  @ApiProperty({ maxLength: 200 }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) email?: string;
}

export class UpdateUserRequest {
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) email?: string;
}

export class DeactivateUserQuery {
  @ApiPropertyOptional({ maxLength: 500 }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class UserListQuery {
  @ApiPropertyOptional({ description: 'Also list deactivated users.' }) @IsOptional() @toBoolean() @IsBoolean() includeInactive?: boolean;
}

export class RoleRequestRequest {
  @ApiProperty({ enum: ROLES, description: 'The role asked for.' })
  @IsString()
  @IsNotEmpty()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @ApiProperty({ maxLength: 1000, description: 'Why the role is needed (shown to the admin who decides).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class DecisionRequest {
  @ApiProperty({ enum: DECISIONS }) @IsIn(DECISIONS) decision!: Decision;
  @ApiProperty({ maxLength: 1000, description: 'Why (shown to the requester).' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class RevokeRequest {
  @ApiProperty({ maxLength: 1000 }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class RequestStatusQuery {
  @ApiPropertyOptional({ enum: STATUSES }) @IsOptional() @IsIn(STATUSES) status?: (typeof STATUSES)[number];
}

export class AsOfQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'The instant to answer for (default: now).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}

export class SetUpModelRequest {
  @ApiProperty({ format: 'uuid', description: 'The registered model (or a set-up model you may use) to copy.' }) @IsUUID() sourceModelId!: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Attributes of the copy (merged over the source’s).' })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}

export class SetupModelListQuery {
  @ApiPropertyOptional({ description: 'Only the models you may predict with.' }) @IsOptional() @toBoolean() @IsBoolean() usableOnly?: boolean;
}

export class ModelAccessRequestRequest {
  @ApiProperty({ maxLength: 1000, description: 'Why access is needed (shown to the owner).' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason!: string;
}

export class UserIdParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
}

export class UserRoleParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;
}

export class RequestIdParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() requestId!: string;
}

export class SetupModelIdParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() setupModelId!: string;
}

export class SetupModelUserParams {
  @ApiProperty({ format: 'uuid' }) @IsUUID() setupModelId!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() userId!: string;
}

// ---- Responses ----

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() username!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ enum: ['sso', 'bootstrap', 'admin'] }) source!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ enum: ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TokenResponse {
  @ApiProperty({ description: 'ES256 JWT for `Authorization: Bearer`.' }) accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires.' }) expiresIn!: number;
  @ApiProperty({ description: 'Used once at /auth/refresh; using it twice ends the session.' }) refreshToken!: string;
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
}

export class DecisionResponse {
  @ApiProperty({ format: 'uuid' }) by!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class RoleRequestResponse {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ type: DecisionResponse, nullable: true }) decision!: DecisionResponse | null;
}

export class MeResponse extends UserResponse {
  @ApiPropertyOptional({ type: RoleRequestResponse, isArray: true }) pendingRequests?: RoleRequestResponse[];
}

export class SetupModelResponse {
  @ApiProperty({ format: 'uuid' }) setupModelId!: string;
  @ApiProperty({ format: 'uuid' }) sourceModelId!: string;
  @ApiProperty({ format: 'uuid', description: 'The registry model predictions use.' }) registryModelId!: string;
  @ApiProperty({ format: 'uuid' }) ownerId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) attributes!: Record<string, unknown>;
  @ApiProperty({ type: [String], description: 'Model ids from the source back to the registry model.' }) lineage!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'Whether you may predict with it.' }) canUse!: boolean;
}

export class ModelAccessRequestResponse {
  @ApiProperty({ format: 'uuid' }) requestId!: string;
  @ApiProperty({ format: 'uuid' }) setupModelId!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: [...STATUSES, 'already-granted'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ type: DecisionResponse, nullable: true }) decision!: DecisionResponse | null;
}

export class RoleAsOfResponse {
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ description: 'The admin who approved, or `system:bootstrap` / `system:sso-admins`.' }) grantedBy!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The approved request.' }) requestId!: string | null;
}

export class RolesAsOfResponse {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: RoleAsOfResponse, isArray: true }) roles!: RoleAsOfResponse[];
}

export class ModelUserAsOfResponse {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: ['owner', 'granted'] }) as!: string;
  @ApiProperty({ format: 'date-time' }) since!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The approved request that granted it.' }) requestId!: string | null;
  @ApiProperty() grantedBy!: string;
}

export class ModelAccessAsOfResponse {
  @ApiProperty({ format: 'uuid' }) setupModelId!: string;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ type: ModelUserAsOfResponse, isArray: true }) users!: ModelUserAsOfResponse[];
}
