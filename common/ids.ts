// UUIDv7 ids: time-ordered, so events and rows sort by creation and index well.
import { v7 } from 'uuid';

export const newId = (): string => v7();

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
