export { storedZip } from '../../src/zip-write.js';
