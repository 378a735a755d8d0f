import "./style.css";
import "./explorer-extra.css";
import { Dashboard } from "./app.js";
import { byId } from "./dom.js";

const dashboard = new Dashboard(byId("app"));
(globalThis as { lacunaDashboard?: Dashboard }).lacunaDashboard = dashboard;
void dashboard.start();
