export { partnershipWorkflow } from './partnership';
