// The console's page: routes, language, and the session they run in.
import "@picocss/pico/css/pico.min.css";
import "./console.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter } from "react-router";
import { RouterProvider } from "react-router/dom";
import { NotFound, RequirePlatformAdmin, RequireSession, Root } from "./components/Layout.tsx";
import { RouteError } from "./components/RouteError.tsx";
import { startI18n } from "./i18n/index.ts";
import { Bill } from "./pages/Bill.tsx";
import { Fleet } from "./pages/Fleet.tsx";
import { Mine } from "./pages/Mine.tsx";
import { NewRequest } from "./pages/NewRequest.tsx";
import { Queue } from "./pages/Queue.tsx";
import { RequestDetail } from "./pages/RequestDetail.tsx";
import { Requests } from "./pages/Requests.tsx";
import { SignIn } from "./pages/SignIn.tsx";
import { Tree } from "./pages/Tree.tsx";

const router = createBrowserRouter([
  {
    Component: Root,
    ErrorBoundary: RouteError,
    children: [
      { path: "signin", Component: SignIn },
      {
        Component: RequireSession,
        children: [
          { index: true, Component: Mine },
          { path: "requests", Component: Requests },
          { path: "requests/new", Component: NewRequest },
          { path: "requests/:name", Component: RequestDetail },
          { path: "bill", Component: Bill },
          {
            Component: RequirePlatformAdmin,
            children: [
              { path: "queue", Component: Queue },
              { path: "tree", Component: Tree },
              { path: "fleet", Component: Fleet },
            ],
          },
        ],
      },
      { path: "*", Component: NotFound },
    ],
  },
]);

await startI18n();
const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
