export { onRequest } from "../../../../functions/[[path]]";
